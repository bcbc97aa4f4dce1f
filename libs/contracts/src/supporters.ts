import { z } from 'zod';
import { withActor } from './access';
import { channelNames, channels, codeOptInChannelSchema, isPhoneRegion, contactsSchema, emailAddressSchema, withLegacyContacts, type ChannelName, type ChannelStateOf } from '@clarion/channels';
import { deliveryChannelSchema, deliveryRecordView, pushSubscriptionSchema } from './delivery';
import { isoDate, languageCode, objectId, sealedSecret, topic, uniqueList } from './fields';

/** A supporter's address as stored and looked up: trimmed and lower-cased. */
export const supporterEmail = emailAddressSchema;
const email = supporterEmail;

/** Where and how consent was given: kept with every consent record. */
export const consentContextSchema = z.object({
  ip: z.string().max(64).optional(),
  userAgent: z.string().max(500).optional(),
  /** The page or channel the consent came through, e.g. the join page URL. */
  source: z.string().max(500),
});

/** Each channel's contact, optional, under the channel's name: `email`, `push`, … (the registry's, libs/channels). */
const joinContacts = Object.fromEntries(channelNames.map((name) => [name, channels[name].contact.optional()])) as {
  [C in ChannelName]: z.ZodOptional<(typeof channels)[C]['contact']>;
};

/** What a person submits on an organisation's join page: a contact on at least one channel, beside the preferences. */
export const joinInput = z
  .strictObject({
    ...joinContacts,
    language: languageCode,
    topics: uniqueList(topic, 50).default([]),
  })
  .refine((v) => channelNames.some((name) => v[name] !== undefined), { message: `must give at least one of ${channelNames.join(', ')}`, path: [channelNames[0]] });
export type JoinInput = z.infer<typeof joinInput>;

/**
 * `supporters.jobs.join.v1`: a join the gateway was answered for, to be
 * worked on by subscriptions (find or add the supporter, ask for a
 * confirmation). The eventId is the join attempt's id: the confirmation
 * link it leads to names it.
 */
export const joinRequestedV1 = z.object({
  eventId: z.string().min(8).max(200),
  occurredAt: isoDate,
  orgId: objectId,
  /** The join's contacts by channel; jobs queued before the registry carried `email` and `push` beside the preferences. */
  input: withLegacyContacts(z.object({ contacts: contactsSchema, language: z.string(), topics: z.array(z.string()) })),
  consent: consentContextSchema,
});
export type JoinRequestedV1 = z.infer<typeof joinRequestedV1>;

export const preferencesInput = z.strictObject({
  language: languageCode.optional(),
  topics: uniqueList(topic, 50).optional(),
});

/** The code texted to a contact that joined on a code channel, typed back on the join page (POST /join/:slug/code). */
export const confirmCodeInput = z.strictObject({
  channel: codeOptInChannelSchema,
  contact: z.string().min(1).max(100),
  code: z.string().max(20, 'must be the six digits of the code we sent'),
});

/**
 * Answer to join: what happens next, worked out from the request alone, so
 * it is the same whether the address is new, pending, confirmed or gone
 * (docs/decisions/0022). An address waits for its confirmation link, and so
 * does a push subscription given with one; a push subscription alone is on.
 */
export const joinResultView = z.object({
  emailState: z.literal('pending').optional(),
  pushState: z.enum(['pending', 'active']).optional(),
  /** A number waits for the code texted to it (docs/decisions/0037). */
  smsState: z.literal('pending').optional(),
});
export type JoinResultView = z.infer<typeof joinResultView>;

/** The answer to a join of this input: a function of the input only. */
export function joinResultFor(input: Pick<JoinInput, 'email' | 'push' | 'sms'>): JoinResultView {
  return {
    ...(input.sms ? { smsState: 'pending' as const } : {}),
    ...(input.email ? { emailState: 'pending' as const } : {}),
    ...(input.push ? { pushState: input.email ? ('pending' as const) : ('active' as const) } : {}),
  };
}

/** The organisation as its public pages show it. */
export const publicOrganisationView = z.object({
  id: objectId,
  name: z.string(),
  slug: z.string(),
  languages: z.array(z.string()),
  branding: z.object({ logoUrl: z.string().optional(), colour: z.string(), senderName: z.string() }),
  vapidPublicKey: z.string(),
  /** The topics of the coalitions it belongs to, offered on its join and preferences pages. */
  topics: z.array(z.object({ id: z.string(), label: z.string(), labels: z.record(z.string(), z.string()).optional() })).default([]),
});
export type PublicOrganisationView = z.infer<typeof publicOrganisationView>;

export const channelStateSchema = z.enum(['pending', 'active', 'unsubscribed', 'suppressed', 'gone']);

/** A supporter's state on each channel they have, as `<channel>State` (`emailState`, `pushState`, …: the registry's channels). */
const channelStateFields = Object.fromEntries(channelNames.map((name) => [`${name}State`, channelStateSchema.optional()])) as {
  [C in ChannelName as `${C}State`]: z.ZodOptional<typeof channelStateSchema>;
};
export type ChannelStateFields = z.infer<z.ZodObject<typeof channelStateFields>>;

export const supporterView = z.object({
  id: objectId,
  orgId: objectId,
  email: z.string().optional(),
  ...channelStateFields,
  language: z.string(),
  topics: z.array(z.string()),
  createdAt: isoDate,
});
export type SupporterView = z.infer<typeof supporterView>;

/** Answer to search: the one supporter with that address, or none (an exact match, never a list to browse). */
export const supporterSearchView = z.object({ supporters: z.array(supporterView).max(1) });
export type SupporterSearchView = z.infer<typeof supporterSearchView>;

export const consentRecordView = z.object({
  supporterId: objectId,
  channel: deliveryChannelSchema,
  action: z.enum(['granted', 'confirmed', 'withdrawn', 'imported']),
  at: isoDate,
  method: z.string(),
  ip: z.string().optional(),
  userAgent: z.string().optional(),
  source: z.string().optional(),
});

/**
 * What a service worker posts on `pushsubscriptionchange`: `old` must match
 * the stored subscription exactly (endpoint and both keys), which only the
 * browser that held it can do.
 */
export const pushRenewalInput = z.strictObject({ old: pushSubscriptionSchema, new: pushSubscriptionSchema });

/** A supporter as their organisation's admin names them, or as their own signed preferences link does. */
/** How a number is taken in (libs/channels PhoneRules): the region of national numbers, the regions allowed (empty: any). */
const phoneRegion = z.string().refine(isPhoneRegion, 'must be a region code, e.g. FR or KE');
export const smsIntakeRules = z.object({ defaultRegion: phoneRegion.optional(), allowedRegions: z.array(phoneRegion).max(300) });
export type SmsIntakeRules = z.infer<typeof smsIntakeRules>;

const supporterNamed = z.union([withActor({ orgId: objectId, supporterId: objectId }), z.strictObject({ token: z.string().max(500) })]);

export const supporterRequests = {
  publicOrganisation: z.object({ slug: z.string().max(64) }),
  join: z.object({ slug: z.string().max(64), input: joinInput, consent: consentContextSchema }),
  /** The signed token from the confirmation email. */
  confirmEmail: z.object({ token: z.string().max(500), consent: consentContextSchema }),
  /** The code texted to a contact that joined on a code channel (SMS), typed back on the join page; the contact as the gateway took it in. */
  confirmCode: z.object({ slug: z.string().max(64), channel: codeOptInChannelSchema, contact: z.string().max(100), code: z.string().max(20), consent: consentContextSchema }),
  /**
   * A reply the provider relayed from a contact, its signature checked by the gateway (an SMS STOP or START):
   * every organisation's supporter with that contact on the channel. `replyId` (the provider's MessageSid) makes it act once.
   */
  channelReply: z.object({ channel: deliveryChannelSchema, contact: z.string().max(100), action: z.enum(['opt-out', 'opt-in']), replyId: z.string().min(8).max(100), source: z.string().max(500) }),
  /**
   * The signed token from a message's unsubscribe link: one channel of one
   * supporter. `oneClick`: a mail client's RFC 8058 one-click POST, rather
   * than the person pressing the button on the page.
   */
  unsubscribe: z.object({ token: z.string().max(500), consent: consentContextSchema, oneClick: z.boolean().optional() }),
  getPreferences: z.object({ token: z.string().max(500) }),
  updatePreferences: z.object({ token: z.string().max(500), input: preferencesInput }),
  /**
   * CSV text with a header row: email,language,topics,consent_at,consent_source, optionally push_endpoint,push_p256dh,push_auth
   * and phone (then email may be absent). `sms`: the installation's rules for numbers, from the gateway's SMS_DEFAULT_REGION
   * and SMS_ALLOWED_REGIONS; absent when it does not offer SMS, and then a row giving a phone is skipped.
   */
  importCsv: withActor({ orgId: objectId, csv: z.string().max(5_000_000, 'must be at most 5 MB'), sms: smsIntakeRules.optional() }),
  /** A page of supporters with their consent records, for export; `after` is the last id of the previous page. */
  exportPage: withActor({ orgId: objectId, after: objectId.optional(), limit: z.number().int().min(1).max(1_000).default(500) }),
  counts: withActor({ orgId: objectId }),
  /**
   * The organisation's supporter with exactly this email address (compared lower-cased) or this mobile number (as
   * written, read by the installation's rules for numbers, `sms`, like an import's; absent when it does not offer
   * SMS), if any: its admins only. One of email and phone.
   */
  search: withActor({ orgId: objectId, email: email.optional(), phone: z.string().max(40, 'must be at most 40 characters').optional(), sms: smsIntakeRules.optional() }),
  /** One supporter, named by the organisation's admin (actor) or by the supporter's own preferences link (token). */
  exportSupporter: supporterNamed,
  eraseSupporter: supporterNamed,
  renewPush: z.object({ slug: z.string().max(64), ...pushRenewalInput.shape }),
  /** Service to service (delivery): how to send in this organisation's name. No actor. */
  senderIdentity: z.object({ orgId: objectId }),
} as const;

/**
 * Answer to senderIdentity: the organisation's sender name, VAPID key pair and
 * own SMTP server, its secrets sealed to delivery's key (docs/decisions/0020):
 * only delivery opens them, each for `clarion/<kind>/<orgId>`.
 */
export const senderIdentityView = z.object({
  orgId: objectId,
  senderName: z.string(),
  vapid: z.object({ publicKey: z.string(), privateKeySealed: sealedSecret, subject: z.string() }),
  /** The organisation's own SMTP server, if it has one (the URL without its password); otherwise the network's is used. */
  smtp: z.object({ url: z.string(), from: z.string(), passwordSealed: sealedSecret.optional() }).optional(),
  /** The organisation's DKIM key, if it made one: email is signed with it (docs/decisions/0030). */
  dkim: z.object({ domain: z.string(), selector: z.string(), privateKeySealed: sealedSecret }).optional(),
});
export type SenderIdentityView = z.infer<typeof senderIdentityView>;

// ---- replies of the supporter requests (additive: the gateway may parse with these) ----

/** Answer to confirmEmail: the organisation, so the page can wear its branding. */
export const confirmEmailResultView = z.object({
  emailState: z.literal('active'),
  org: publicOrganisationView,
});
export type ConfirmEmailResultView = z.infer<typeof confirmEmailResultView>;

/** Answer to confirmCode: the channel now on, and the organisation for the page's branding. */
export const confirmCodeResultView = z.object({ channel: deliveryChannelSchema, org: publicOrganisationView });
export type ConfirmCodeResultView = z.infer<typeof confirmCodeResultView>;

/** Answer to channelReply: how many supporters it moved (0 for a replay or a number on no list). */
export const channelReplyResultView = z.object({ moved: z.number().int() });

export const unsubscribeResultView = z.object({ channel: deliveryChannelSchema, orgName: z.string() });
export type UnsubscribeResultView = z.infer<typeof unsubscribeResultView>;

/** Answer to getPreferences and updatePreferences. */
export const preferencesView = z.object({
  language: z.string(),
  topics: z.array(z.string()),
  ...channelStateFields,
  org: publicOrganisationView,
});
export type PreferencesView = z.infer<typeof preferencesView>;

/** Answer to importCsv: `line` is the CSV line a skipped row ends on (the header is line 1). */
export const importResultView = z.object({
  imported: z.number().int(),
  skipped: z.array(z.object({ line: z.number().int(), reason: z.string() })),
});
export type ImportResultView = z.infer<typeof importResultView>;

export type ConsentRecordView = z.infer<typeof consentRecordView>;

/** A push subscription as the browser gave it: what another system needs to keep sending to it. */
const storedPushView = z.object({ endpoint: z.string(), keys: z.object({ p256dh: z.string(), auth: z.string() }) });

/** The organisation's export: every field of its supporters an import takes back, the push subscription included. */
export const exportedSupporterView = supporterView.extend({ push: storedPushView.optional(), sms: z.string().optional(), consents: z.array(consentRecordView) });
export type ExportedSupporterView = z.infer<typeof exportedSupporterView>;

/** Answer to exportPage: `next` is the `after` of the following page, absent on the last one. */
export const exportPageView = z.object({ supporters: z.array(exportedSupporterView), next: objectId.optional() });
export type ExportPageView = z.infer<typeof exportPageView>;

/** Supporters in each state of each channel of the registry (`email: { pending, active, … }`, `push: { … }`). */
const countsByChannel = Object.fromEntries(
  channelNames.map((name) => [name, z.object(Object.fromEntries(channels[name].states.map((state) => [state, z.number().int()])))]),
) as { [C in ChannelName]: z.ZodObject<{ [S in ChannelStateOf<C>]: z.ZodNumber }> };

/** Answer to counts: aggregates only. */
export const supporterCountsView = z.object({ total: z.number().int(), ...countsByChannel });
export type SupporterCountsView = z.infer<typeof supporterCountsView>;

/**
 * Answer to exportSupporter: everything the organisation holds on one
 * supporter (GDPR Art. 15 and 20), in a form another system can read. The
 * gateway adds delivery's records (`deliveries`) before answering.
 */
export const supporterDataView = z.object({
  organisation: z.object({ id: objectId, name: z.string(), slug: z.string() }),
  profile: z.object({ id: objectId, language: z.string(), topics: z.array(z.string()), createdAt: isoDate, updatedAt: isoDate }),
  subscriptions: z.object({
    email: z.object({ address: z.string(), state: channelStateSchema }).optional(),
    push: storedPushView.extend({ state: channelStateSchema }).optional(),
    sms: z.object({ number: z.string(), state: channelStateSchema }).optional(),
  }),
  consents: z.array(consentRecordView),
});
export type SupporterDataView = z.infer<typeof supporterDataView>;

/** What the gateway answers: subscriptions' part, delivery's records, and when it was made. */
export const supporterExportView = supporterDataView.extend({ exportedAt: isoDate, deliveries: z.array(deliveryRecordView) });
export type SupporterExportView = z.infer<typeof supporterExportView>;

/** Answer to eraseSupporter: the audit entry's id (it holds no personal data) and when. */
export const erasureView = z.object({ erasureId: objectId, erasedAt: isoDate });
export type ErasureView = z.infer<typeof erasureView>;

export const pushRenewedView = z.object({ renewed: z.literal(true) });
export type PushRenewedView = z.infer<typeof pushRenewedView>;

/**
 * A supporter's consent changed on a channel (ids only, no address): joined
 * (granted; an email join still waits for its confirmation), confirmed, or
 * unsubscribed (withdrawn). Delivery turns it into the organisation's
 * supporter webhooks (docs/decisions/0029).
 */
export const supporterConsentChangedV1 = z.object({
  eventId: z.string().min(8).max(200),
  occurredAt: isoDate,
  orgId: objectId,
  supporterId: objectId,
  channels: z.array(deliveryChannelSchema).min(1),
  action: z.enum(['granted', 'confirmed', 'withdrawn']),
});
export type SupporterConsentChanged = z.infer<typeof supporterConsentChangedV1>;
