import { z } from 'zod';
import { channelNames, channelNameSchema } from '@clarion/channels';
import { grantSchema, withActor } from './access';
import { colour, countryCode, httpsUrl, isoDate, languageCode, objectId, plainText, sealedSecret, slug, tokenHash, topic, uniqueList } from './fields';

// ---- organisations -------------------------------------------------------

export const brandingSchema = z.strictObject({
  logoUrl: httpsUrl.optional(),
  colour: colour.default('#1f4e79'),
  /** The name supporters see as the sender of email and push. */
  senderName: plainText(80),
});

export const createOrganisationInput = z.strictObject({
  name: plainText(120),
  slug,
  country: countryCode,
  languages: uniqueList(languageCode, 20).min(1, 'must list at least one language'),
  branding: brandingSchema,
});
export type CreateOrganisationInput = z.infer<typeof createOrganisationInput>;

/** A logo's address: https only, and short enough to sit in every email's markup. */
export const LOGO_URL_MAX = 500;

/**
 * What an organisation's admins edit of its branding (the sender is edited apart).
 * `logoUrl: null` removes the logo; `joinTopics: null` offers every topic of its coalitions again.
 */
export const updateOrganisationInput = z
  .strictObject({
    name: plainText(120).optional(),
    colour: colour.optional(),
    logoUrl: z.string().max(LOGO_URL_MAX, `must be at most ${LOGO_URL_MAX} characters`).pipe(httpsUrl).nullable().optional(),
    /** The topic ids its join and preferences pages offer, among its coalitions' topics. */
    joinTopics: uniqueList(topic, 50).nullable().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: 'must change at least one field' });
export type UpdateOrganisationInput = z.infer<typeof updateOrganisationInput>;

export const organisationView = z.object({
  id: objectId,
  name: z.string(),
  slug: z.string(),
  country: z.string(),
  languages: z.array(z.string()),
  branding: z.object({ logoUrl: z.string().optional(), colour: z.string(), senderName: z.string() }),
  /** The topics its join page offers; absent: every topic of its coalitions. */
  joinTopics: z.array(z.string()).optional(),
  createdAt: isoDate,
});
export type OrganisationView = z.infer<typeof organisationView>;

// ---- an organisation's own SMTP server ---------------------------------------

/**
 * Where an organisation's email goes out: smtp:// (STARTTLS when offered) or
 * smtps://, with a host; user and password may be in it (percent-encoded).
 * No path, query or fragment: nodemailer would read query parameters as
 * transport options over delivery's own (pool size, timeouts, logging).
 */
export const smtpServerUrl = z
  .string()
  .max(500, 'must be at most 500 characters')
  .refine(
    (value) => {
      try {
        const url = new URL(value);
        return (
          (url.protocol === 'smtp:' || url.protocol === 'smtps:') &&
          url.hostname.length > 0 &&
          (url.pathname === '' || url.pathname === '/') &&
          url.search === '' &&
          url.hash === ''
        );
      } catch {
        return false;
      }
    },
    { message: 'must be an smtp:// or smtps:// URL with a host and no path or query, e.g. smtps://user:password@mail.example.org:465' },
  );

export const senderSmtpInput = z.strictObject({
  url: smtpServerUrl,
  /** The address the organisation's email comes from; the display name stays its sender name. */
  from: z.string().trim().max(254, 'must be at most 254 characters').email('must be an email address'),
});
export type SenderSmtpInput = z.infer<typeof senderSmtpInput>;

/**
 * The same settings as they cross the bus (gateway → subscriptions): the URL
 * without its password, and the password sealed to delivery's key by the
 * gateway before the request leaves it. Subscriptions checks and keeps the
 * rest; only delivery can open the password (docs/decisions/0020).
 */
export const sealedSenderSmtpInput = z.strictObject({
  url: smtpServerUrl.refine((value) => !URL.canParse(value) || new URL(value).password === '', {
    message: 'must not carry a password: the gateway seals it into passwordSealed',
  }),
  from: senderSmtpInput.shape.from,
  /** The URL's password (percent-encoded, as it stood in the URL), sealed for `clarion/smtp-password/<orgId>`. */
  passwordSealed: sealedSecret.optional(),
});
export type SealedSenderSmtpInput = z.infer<typeof sealedSenderSmtpInput>;

/** The organisation's own SMTP settings as callers see them: never the password. `smtp: null` means the network's server. */
export const senderSmtpView = z.object({
  orgId: objectId,
  smtp: z
    .object({ host: z.string(), port: z.number().int(), secure: z.boolean(), user: z.string().optional(), from: z.string() })
    .nullable(),
});
export type SenderSmtpView = z.infer<typeof senderSmtpView>;

/** A domain name as DKIM's d= takes it: letters, digits and hyphens in dot-separated labels. */
const dkimDomain = z
  .string()
  .max(253)
  .transform((value) => value.toLowerCase().replace(/\.$/, ''))
  .pipe(z.string().regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'must be a domain name, e.g. mail.example.org'));

/** Make a DKIM key for the organisation's mail from `domain`: again, to rotate (a new selector). */
export const senderDkimInput = z.strictObject({ domain: dkimDomain });
export type SenderDkimInput = z.infer<typeof senderDkimInput>;

/** One DKIM key as DNS must publish it: a TXT record named `dnsName`, holding `txt`. */
export const dkimRecordView = z.object({
  selector: z.string(),
  dnsName: z.string(),
  txt: z.string(),
  createdAt: z.string(),
});
/** The organisation's DKIM signing: the key in use, and the one it replaced (keep its record until mail signed with it is read). */
export const senderDkimView = z.object({
  orgId: objectId,
  dkim: z
    .object({ domain: z.string(), algorithm: z.literal('rsa-sha256'), current: dkimRecordView, previous: dkimRecordView.optional() })
    .nullable(),
});
export type SenderDkimView = z.infer<typeof senderDkimView>;

// ---- coalitions -----------------------------------------------------------

/**
 * A topic the coalition tags its alerts with, as supporters see it on join and preferences pages: its
 * name in the coalition's main language (`label`), and in others where it has them (`labels`, by language code).
 */
export const coalitionTopic = z.strictObject({
  id: topic,
  label: plainText(80),
  labels: z.record(languageCode, plainText(80)).optional(),
});
export type CoalitionTopic = z.infer<typeof coalitionTopic>;

export const createCoalitionInput = z.strictObject({
  name: plainText(120),
  slug,
  description: plainText(1_000).optional(),
  /** A second coordinator must approve each alert before it can be published. */
  requireSecondApproval: z.boolean().default(false),
  /** The topics offered to supporters of its member organisations (their join and preferences pages). */
  topics: z
    .array(coalitionTopic)
    .max(50, 'must be at most 50 topics')
    .refine((topics) => new Set(topics.map((t) => t.id)).size === topics.length, 'must not repeat a topic id')
    .default([]),
});
export type CreateCoalitionInput = z.infer<typeof createCoalitionInput>;

export const coalitionView = z.object({
  id: objectId,
  name: z.string(),
  slug: z.string(),
  description: z.string().optional(),
  requireSecondApproval: z.boolean(),
  topics: z.array(coalitionTopic).default([]),
  createdAt: isoDate,
});
export type CoalitionView = z.infer<typeof coalitionView>;

/** Reply to `coalitionSettings`: the coalition's rules for publishing alerts. */
export const coalitionSettingsView = z.object({ coalitionId: objectId, requireSecondApproval: z.boolean() });
export type CoalitionSettingsView = z.infer<typeof coalitionSettingsView>;

export const createInvitationInput = z.strictObject({ orgId: objectId });

export const invitationView = z.object({
  id: objectId,
  coalitionId: objectId,
  orgId: objectId,
  status: z.enum(['pending', 'accepted']),
  createdAt: isoDate,
});
export type InvitationView = z.infer<typeof invitationView>;

// ---- memberships ------------------------------------------------------------

/** Which alerts an organisation wants; an empty list means all. */
export const filtersSchema = z.strictObject({
  topics: uniqueList(topic, 50).default([]),
  regions: uniqueList(countryCode, 250).default([]),
  languages: uniqueList(languageCode, 20).default([]),
});
export type Filters = z.infer<typeof filtersSchema>;

/** The channels a membership may send on: every channel of the registry (libs/channels). */
export const channelSchema = channelNameSchema;
export type Channel = z.infer<typeof channelSchema>;

export const relayPolicySchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('auto') }),
  z.strictObject({
    mode: z.literal('review'),
    /** How long editors have to decide, from the alert's publication. */
    deadlineMinutes: z.number().int().min(1, 'must be at least 1 minute').max(7 * 24 * 60, 'must be at most 7 days'),
    /** What happens when nobody decided in time. */
    onDeadline: z.enum(['approve', 'drop']),
  }),
]);
export type RelayPolicy = z.infer<typeof relayPolicySchema>;

export const createMembershipInput = z.strictObject({
  coalitionId: objectId,
  filters: filtersSchema.default({ topics: [], regions: [], languages: [] }),
  channels: uniqueList(channelSchema, channelNames.length).min(1, 'must list at least one channel').default(['email', 'push']),
  relayPolicy: relayPolicySchema,
});
export type CreateMembershipInput = z.infer<typeof createMembershipInput>;

export const updateMembershipInput = z
  .strictObject({
    filters: filtersSchema.optional(),
    channels: uniqueList(channelSchema, channelNames.length).min(1, 'must list at least one channel').optional(),
    relayPolicy: relayPolicySchema.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: 'must change at least one of filters, channels, relayPolicy' });
export type UpdateMembershipInput = z.infer<typeof updateMembershipInput>;

export const membershipView = z.object({
  id: objectId,
  orgId: objectId,
  coalitionId: objectId,
  filters: z.object({ topics: z.array(z.string()), regions: z.array(z.string()), languages: z.array(z.string()) }),
  channels: z.array(channelSchema),
  relayPolicy: relayPolicySchema,
  createdAt: isoDate,
});
export type MembershipView = z.infer<typeof membershipView>;

// ---- API tokens -----------------------------------------------------------------

export const createTokenInput = z.strictObject({
  name: plainText(80),
  grant: grantSchema,
});
export type CreateTokenInput = z.infer<typeof createTokenInput>;

export const tokenView = z.object({
  id: objectId,
  name: z.string(),
  grant: grantSchema,
  createdAt: isoDate,
  revokedAt: isoDate.optional(),
});
export type TokenView = z.infer<typeof tokenView>;

/**
 * The HTTP answer to creating a token, the only one that carries the secret:
 * the gateway makes the secret and adds it; subscriptions gets and stores only its hash.
 */
export const createdTokenView = tokenView.extend({ token: z.string() });
export type CreatedTokenView = z.infer<typeof createdTokenView>;

// ---- RPC requests (gateway → subscriptions) -------------------------------------------

export const directoryRequests = {
  /** The presented bearer token's hash: the token itself never crosses the bus. */
  resolveToken: z.object({ tokenHash }),
  /** The gateway made the secret and sends its hash; the reply is the token's view, without any secret. */
  createToken: withActor({ input: createTokenInput, tokenHash }),
  listTokens: withActor({ orgId: objectId.optional() }),
  revokeToken: withActor({ tokenId: objectId }),
  createOrganisation: withActor({ input: createOrganisationInput }),
  listOrganisations: withActor({}),
  getOrganisation: withActor({ orgId: objectId }),
  updateOrganisation: withActor({ orgId: objectId, input: updateOrganisationInput }),
  /** The organisation's own SMTP server (redacted), set or cleared: its admin and the network admin. */
  getSenderSmtp: withActor({ orgId: objectId }),
  setSenderSmtp: withActor({ orgId: objectId, input: sealedSenderSmtpInput }),
  clearSenderSmtp: withActor({ orgId: objectId }),
  /** The organisation's DKIM key (public part and DNS record), made, rotated or dropped: its admin and the network admin. */
  getSenderDkim: withActor({ orgId: objectId }),
  createSenderDkim: withActor({ orgId: objectId, input: senderDkimInput }),
  clearSenderDkim: withActor({ orgId: objectId }),
  createCoalition: withActor({ input: createCoalitionInput }),
  listCoalitions: withActor({}),
  getCoalition: withActor({ coalitionId: objectId }),
  createInvitation: withActor({ coalitionId: objectId, input: createInvitationInput }),
  listInvitations: withActor({ orgId: objectId }),
  createMembership: withActor({ orgId: objectId, input: createMembershipInput }),
  listMemberships: withActor({ orgId: objectId }),
  updateMembership: withActor({ orgId: objectId, membershipId: objectId, input: updateMembershipInput }),
  deleteMembership: withActor({ orgId: objectId, membershipId: objectId }),
  /** For the alerts service: the coalition's publishing rules. No actor: service to service. */
  coalitionSettings: z.object({ coalitionId: objectId }),
} as const;
