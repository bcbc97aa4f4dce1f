import type { z } from 'zod';

/** The services whose configuration a channel may add settings to (a provider's credentials, a webhook's secret). */
export type ConfiguredService = 'gateway' | 'subscriptions' | 'delivery';

/** A move of a channel's state, made only from one of `from` (so a repeated event changes nothing). */
export interface Transition<State extends string> {
  from: readonly State[];
  to: State;
  /** The contact itself is forgotten too (a push subscription that no longer exists): its unique key goes with it. */
  forget?: boolean;
}

/**
 * What every app knows of a channel, with no app's code in it: how a
 * supporter is reachable on it (the contact: its schema, how it is stored and
 * keyed), the states of their consent on it, what a provider's verdict does
 * to that state, and who the provider is for the send rate limits. The
 * sending side lives in delivery (apps/delivery/src/channels/<name>/).
 *
 * `Contact` is the contact as it travels (a batch recipient's, a join's);
 * `Stored` as the supporter store keeps it (it may add derived fields).
 */
export interface ChannelDefinition<Name extends string, Contact, Stored, State extends string> {
  readonly name: Name;
  /** Validation and normalisation of a contact given by a person, an import or a batch; the issues name the field. */
  readonly contact: z.ZodType<Contact, unknown>;
  /** Every state of a supporter's consent on the channel; `active` is the one fan-out sends to. */
  readonly states: readonly State[];
  readonly active: State;
  /** A person leaving the channel (the unsubscribe link, an erasure, a STOP): from any state they can leave. */
  readonly unsubscribe: Transition<State>;
  /** A person coming back by the channel itself (an SMS START): absent, only a new join brings them back. */
  readonly resubscribe?: Transition<State>;
  /**
   * Double opt-in by a code sent on the channel itself (SMS): a join stores the contact in `pending` and sends
   * a six-digit code; typing it back on the join page makes the `confirms` move. Subscriptions implements it
   * once for every channel that declares it (docs/decisions/0037). Absent: the channel's join is its own.
   */
  readonly optIn?: { readonly by: 'code'; readonly confirms: Transition<State> };
  /**
   * What a provider's final verdict on a send does to the state (`suppress`: the provider refused the
   * address for good; `gone`: it does not exist any more). `retry` never changes it. Absent: no change.
   */
  readonly outcomes: { readonly suppress?: Transition<State>; readonly gone?: Transition<State> };
  /**
   * One supporter per contact in an organisation: a top-level field of the supporter document holding
   * `<orgId>:<key>`, under a unique sparse index (docs/decisions/0011), and named to the embedded
   * FerretDB as an indexed scalar field (docs/decisions/0012).
   */
  readonly key: { readonly field: string; of(contact: Stored): string };
  stored(contact: Contact): Stored;
  /** The stored contact as a batch carries it (only what sending needs). */
  sendable(stored: Stored): Contact;
  /**
   * The provider's host or domain a send goes through, for the per-provider send rate (docs/decisions/0014);
   * undefined when unknown. `config` is delivery's, with the channel's own settings (`config.delivery`) in it:
   * a channel whose provider is the installation's (SMS) names it from there.
   */
  providerHost(contact: Contact, config: Readonly<Record<string, unknown>>): string | undefined;
  /**
   * The channel's settings (environment variables) by service, as zod fields: each service's config schema
   * takes them from the registry (libs/config), so they are validated at start and named in the launcher,
   * compose checks and README like any other. Optional fields, so an installation without the channel boots.
   */
  readonly config?: ChannelConfig;
  /** Whether the installation offers the channel, from the gateway's config (SMS: its provider is set). Absent: always. */
  offered?(config: Readonly<Record<string, unknown>>): boolean;
  /**
   * A contact as a person typed it on a public page, under the installation's rules from the gateway's config
   * (SMS: the default region of national numbers, the allowed regions), before `contact` checks it: normalised,
   * or an Invalid naming `field`. Absent: `contact` alone.
   */
  intake?(value: unknown, config: Readonly<Record<string, unknown>>, field: string): unknown;
  /** The strings in the contact that identify the person: an erasure looks for them in messages kept on the bus. */
  identifiers(contact: Stored): string[];
}

/** Any channel of the registry. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyChannel = ChannelDefinition<string, any, any, string>;

/** A channel's settings by service (`ChannelDefinition.config`). */
export type ChannelConfig = { readonly [S in ConfiguredService]?: z.ZodRawShape };

/**
 * A definition, with its types checked and kept (an identity function: `satisfies` would widen nothing but
 * check less); its settings keep their own types, so the services' config types name them.
 */
export function defineChannel<Name extends string, Contact, Stored, State extends string, Config extends ChannelConfig = object>(
  definition: ChannelDefinition<Name, Contact, Stored, State> & { readonly config?: Config },
): ChannelDefinition<Name, Contact, Stored, State> & { readonly config?: Config } {
  return definition;
}
