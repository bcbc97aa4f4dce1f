import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { SubscriptionsConfig } from '@clarion/config';
import {
  eventSubjects,
  joinResultFor,
  type ConfirmCodeResultView,
  type ConfirmEmailResultView,
  type DeliveryChannel,
  type JoinRequestedV1,
  type JoinResultView,
  type PublicOrganisationView,
} from '@clarion/contracts';
import { Invalid } from '@clarion/errors';
import { EventPublisher, type ConsumerOutcome } from '@clarion/messaging';
import { OutboundRules } from '@clarion/security';
import { SERVICE_CONFIG } from '@clarion/service-kit';
import { channelNames, channels, codeOptInChannels, type ChannelName, type ContactOf, type PushState, type StoredContactOf, type Transition } from '@clarion/channels';
import type { OrganisationRecord } from '../organisations/organisation.schema';
import { CodeOptIn } from './code-opt-in';
import { ConsentRepository } from './consent.repository';
import type { Consent } from './consent.schema';
import { PublicOrganisationService } from './public-organisation.service';
import { CODE_REFUSED, CONFIRM_REFUSED, SupporterLinks } from './supporter-links';
import { SupporterRepository } from './supporter.repository';
import type { SupporterRequest } from '../common/requests';
import { SupporterFacts } from './supporter-facts';
import type { PendingJoin, StoredPushSubscription, SupporterRecord } from './supporter.schema';

type ConsentContext = SupporterRequest<'join'>['consent'];

/** The browser that left turns notifications on again (a new subscription would be a new supporter). */
const TURNED_ON_AGAIN: Transition<PushState> = { from: ['unsubscribed'], to: 'active' };

/**
 * The join page (docs/decisions/0022). A join is answered at once from what
 * was asked, the same for a new, pending, confirmed or unsubscribed address,
 * and queued (SUPPORTER_JOBS); the work happens off the request path:
 * - an address waits for its confirmation link (double opt-in); a browser
 *   subscription given with it waits too, and nothing of an existing
 *   supporter changes until the address's owner confirms;
 * - at most one confirmation email per address per CONFIRMATION_EMAIL_WINDOW_MS;
 * - a browser subscription alone is active at once (the browser's permission
 *   prompt was the opt-in), as its own push-only supporter;
 * - a contact on a code channel (SMS) waits for the code sent to it, typed
 *   back on the join page, as its own supporter; at most one code a minute.
 */
@Injectable()
export class JoinService {
  private readonly emailWindowMs: number;

  constructor(
    private readonly organisations: PublicOrganisationService,
    private readonly supporters: SupporterRepository,
    private readonly consents: ConsentRepository,
    private readonly links: SupporterLinks,
    private readonly events: EventPublisher,
    private readonly outbound: OutboundRules,
    private readonly facts: SupporterFacts,
    private readonly codes: CodeOptIn,
    @Inject(SERVICE_CONFIG) config: SubscriptionsConfig,
  ) {
    this.emailWindowMs = config.CONFIRMATION_EMAIL_WINDOW_MS;
  }

  async publicOrganisation({ slug }: SupporterRequest<'publicOrganisation'>): Promise<PublicOrganisationView> {
    return this.organisations.view(await this.organisations.findBySlug(slug));
  }

  /** The request path: the organisation, the endpoint's address, one publish — whatever the address's state. */
  async join({ slug, input, consent }: SupporterRequest<'join'>): Promise<JoinResultView> {
    const org = await this.organisations.findBySlug(slug);
    if (input.push) await this.assertSendable(input.push.endpoint);
    const eventId = `join:${randomBytes(12).toString('base64url')}`;
    const { language, topics } = input;
    const contacts = Object.fromEntries(channelNames.flatMap((name) => (input[name] === undefined ? [] : [[name, input[name]]])));
    await this.events.publish(
      eventSubjects.joinRequested,
      {
        eventId,
        occurredAt: new Date().toISOString(),
        orgId: org._id.toHexString(),
        input: { contacts, language, topics },
        consent,
      },
      { msgId: eventId },
    );
    return joinResultFor(input);
  }

  /** A queued join, worked on (SUPPORTER_JOBS). Handled again after a crash, it does nothing twice that matters: one email per window. */
  async handleJoin({ eventId, orgId, input, consent }: JoinRequestedV1): Promise<ConsumerOutcome> {
    const org = await this.organisations.findById(orgId).catch(() => undefined);
    if (!org) return { kind: 'skipped', reason: 'the organisation is gone' };
    const preferences = { language: input.language, topics: input.topics };
    const { email } = input.contacts;
    const push = input.contacts.push && channels.push.stored(input.contacts.push);
    const byCode: ConsumerOutcome[] = [];
    for (const channel of codeOptInChannels) {
      const contact = input.contacts[channel];
      if (contact !== undefined) byCode.push(await this.joinByCode(eventId, org, channel, contact, preferences, consent));
    }
    if (!email) {
      if (push) return this.joinByPush(eventId, orgId, push, preferences, consent);
      return byCode.find((outcome) => outcome.kind === 'handled') ?? byCode[0] ?? { kind: 'skipped', reason: 'no contact to join with' };
    }

    const { supporter } = await this.supporters.findOrCreateByContact(orgId, 'email', email, 'pending', preferences);
    const pushIsNew = push !== undefined && supporter.contacts?.push?.address?.endpointHash !== push.endpointHash;
    if (supporter.contacts?.email?.state === channels.email.active && !pushIsNew) return { kind: 'skipped', reason: 'nothing to confirm: the address is on the list with this browser, if any' };

    const attempt: PendingJoin = { id: eventId.slice('join:'.length), at: new Date(), ...(pushIsNew ? { push } : {}), ...preferences };
    const opened = await this.supporters.openJoinAttempt(orgId, supporter._id, attempt, attempt.at, this.emailWindowMs);
    if (!opened) {
      // This job opened the attempt before and stopped short of its email (a crash, NATS away): the email's own event id keeps it to one.
      const current = await this.supporters.findInOrg(orgId, supporter._id.toHexString());
      if (current?.pendingJoin?.id !== attempt.id) return { kind: 'skipped', reason: 'a confirmation email went to this address within the window' };
      await this.askConfirmation(org, current, current.pendingJoin);
      return { kind: 'handled' };
    }
    const granted: DeliveryChannel[] = pushIsNew ? ['email', 'push'] : ['email'];
    await this.record(opened, granted, 'granted', 'join-page', consent);
    await this.facts.consentChanged(attempt.id, { orgId, supporterId: opened._id.toHexString(), channels: granted, action: 'granted' });
    await this.askConfirmation(org, opened, attempt);
    return { kind: 'handled' };
  }

  /**
   * A browser alone: a new subscription is a push-only supporter, active at
   * once. One already on the list changes only when the request carries its
   * keys too (it is that browser, turning notifications on again).
   */
  private async joinByPush(eventId: string, orgId: string, push: StoredPushSubscription, preferences: { language: string; topics: string[] }, consent: ConsentContext): Promise<ConsumerOutcome> {
    const { supporter, created } = await this.supporters.findOrCreateByContact(orgId, 'push', push, 'active', preferences);
    const stored = supporter.contacts?.push?.address;
    const sameBrowser = stored?.keys.auth === push.keys.auth && stored?.keys.p256dh === push.keys.p256dh;
    if (!created && !(sameBrowser && (await this.supporters.move(orgId, supporter._id.toHexString(), 'push', TURNED_ON_AGAIN)))) {
      return { kind: 'skipped', reason: 'this browser subscription is already on the list' };
    }
    await this.record(supporter, ['push'], 'granted', 'join-page', consent);
    // The join job's id: a redelivered job tells it once.
    await this.facts.consentChanged(eventId, { orgId, supporterId: supporter._id.toHexString(), channels: ['push'], action: 'granted' });
    return { kind: 'handled' };
  }

  /**
   * A contact on a code channel: stored `pending` as its own supporter (or found), and sent a code unless it
   * is already on (nothing to confirm) or refused by the provider, or a code went to it within the minute.
   * Nothing of an existing supporter changes here: only the code, typed back, moves the state.
   */
  private async joinByCode<C extends ChannelName>(eventId: string, org: OrganisationRecord, channel: C, contact: ContactOf<C>, preferences: { language: string; topics: string[] }, consent: ConsentContext): Promise<ConsumerOutcome> {
    const orgId = org._id.toHexString();
    const definition = channels[channel];
    const stored = (definition.stored as (contact: ContactOf<C>) => StoredContactOf<C>)(contact);
    const pending = definition.optIn!.confirms.from[0] as never;
    const { supporter } = await this.supporters.findOrCreateByContact(orgId, channel, stored, pending, preferences);
    const state = supporter.contacts?.[channel]?.state as string | undefined;
    if (!state || !(definition.optIn!.confirms.from as readonly string[]).includes(state)) return { kind: 'skipped', reason: `nothing to confirm on ${channel}: the contact is ${state ?? 'unknown'}` };
    const issued = await this.codes.issue(orgId, channel, (definition.key.of as (contact: StoredContactOf<C>) => string)(stored));
    if (!issued.ok) return { kind: 'skipped', reason: `a code went to this ${channel} contact less than a minute ago` };
    const attemptId = eventId.slice('join:'.length);
    await this.record(supporter, [channel], 'granted', 'join-page', consent);
    await this.facts.consentChanged(`${attemptId}:${channel}`, { orgId, supporterId: supporter._id.toHexString(), channels: [channel], action: 'granted' });
    const codeEventId = `code:${attemptId}:${channel}`;
    await this.events.publish(
      eventSubjects.optInCode,
      {
        eventId: codeEventId,
        occurredAt: new Date().toISOString(),
        orgId,
        orgName: org.name,
        supporterId: supporter._id.toHexString(),
        channel,
        contact: String(contact),
        language: preferences.language,
        code: issued.code,
        expiresInMinutes: this.codes.expiresInMinutes,
      },
      { msgId: codeEventId },
    );
    return { kind: 'handled' };
  }

  /**
   * The code sent on a code channel, typed back: the contact on, with consent recorded as confirmed. Every
   * refusal reads the same whatever the contact's state (no code, wrong, expired, used up, another number's).
   */
  async confirmCode({ slug, channel, contact, code, consent }: SupporterRequest<'confirmCode'>): Promise<ConfirmCodeResultView> {
    const org = await this.organisations.findBySlug(slug);
    const orgId = org._id.toHexString();
    const definition = channels[channel];
    const parsed = definition.contact.safeParse(contact);
    if (!parsed.success) throw new Invalid(CODE_REFUSED, 'code');
    const stored = (definition.stored as (contact: unknown) => StoredContactOf<typeof channel>)(parsed.data);
    const key = (definition.key.of as (contact: unknown) => string)(stored);
    const checked = await this.codes.check(orgId, channel, key, code);
    if (checked === 'malformed') throw new Invalid('must be the six digits of the code we sent', 'code');
    if (checked !== 'confirmed') throw new Invalid(CODE_REFUSED, 'code');
    const supporter = (await this.supporters.findByContacts(orgId, channel, [stored])).get(key);
    if (!supporter || !(await this.supporters.move(orgId, supporter._id.toHexString(), channel, definition.optIn!.confirms as Transition<never>))) throw new Invalid(CODE_REFUSED, 'code');
    await this.record({ _id: supporter._id, orgId }, [channel], 'confirmed', 'code-confirmation', consent);
    // A fresh id: the contact key is the number itself, which no event id may carry.
    await this.facts.consentChanged(`code:${randomBytes(12).toString('base64url')}`, { orgId, supporterId: supporter._id.toHexString(), channels: [channel], action: 'confirmed' });
    return { channel, org: await this.organisations.view(org) };
  }

  /** A link works once, for the latest join of the address, within its lifetime; each refusal reads the same. */
  async confirmEmail({ token, consent }: SupporterRequest<'confirmEmail'>): Promise<ConfirmEmailResultView> {
    const { supporterId, orgId, attemptId } = this.links.confirmed(token);
    const attempt = await this.supporters.takeJoinAttempt(orgId, supporterId, attemptId);
    if (!attempt) throw new Invalid(CONFIRM_REFUSED, 'token');
    const before = await this.supporters.findInOrg(orgId, supporterId);
    if (!before) throw new Invalid(CONFIRM_REFUSED, 'token');
    await this.supporters.completeJoin(orgId, supporterId, attempt);
    const confirmed: DeliveryChannel[] = [...(before.contacts?.email?.state === channels.email.active ? [] : ['email' as const]), ...(attempt.push ? ['push' as const] : [])];
    await this.record(before, confirmed, 'confirmed', 'email-confirmation', consent);
    await this.facts.consentChanged(attemptId, { orgId, supporterId, channels: confirmed, action: 'confirmed' });
    return { emailState: 'active', org: await this.organisations.view(await this.organisations.findById(orgId)) };
  }

  /** Only the local push service and allow-listed origins may be plain http, private or on another port than 443. */
  private async assertSendable(endpoint: string): Promise<void> {
    const verdict = await this.outbound.checkPushEndpoint(endpoint);
    if (!verdict.ok) throw new Invalid(verdict.reason, 'push.endpoint');
  }

  private async record(supporter: Pick<SupporterRecord, '_id' | 'orgId'>, channels: DeliveryChannel[], action: Consent['action'], method: Consent['method'], consent: ConsentContext): Promise<void> {
    const at = new Date();
    const supporterId = supporter._id.toHexString();
    await this.consents.append(channels.map((channel) => ({ supporterId, orgId: supporter.orgId, channel, action, method, at, ...consent })));
  }

  private async askConfirmation(org: OrganisationRecord, supporter: SupporterRecord, attempt: PendingJoin): Promise<void> {
    const supporterId = supporter._id.toHexString();
    // One event per attempt: a redelivered join job does not send its email twice.
    const eventId = `confirm:${attempt.id}`;
    const { name, slug, branding } = org;
    await this.events.publish(
      eventSubjects.confirmationEmail,
      {
        eventId,
        occurredAt: new Date().toISOString(),
        orgId: supporter.orgId,
        org: { name, slug, senderName: branding.senderName, colour: branding.colour, ...(branding.logoUrl ? { logoUrl: branding.logoUrl } : {}) },
        supporterId,
        email: supporter.contacts!.email!.address!,
        language: attempt.language,
        confirmUrl: this.links.confirmUrl({ supporterId, orgId: supporter.orgId, attemptId: attempt.id }),
      },
      { msgId: eventId },
    );
  }
}
