import { z } from 'zod';
import { withActor } from './access';
import { countryCode, httpsUrl, idempotencyKey, isoDate, languageCode, markdown, objectId, plainText, topic, uniqueList } from './fields';

export const urgencySchema = z.enum(['low', 'normal', 'high', 'critical']);
export type Urgency = z.infer<typeof urgencySchema>;

export const TITLE_MAX = 140;
export const BODY_MAX = 10_000;

/** One language's text of an alert. */
export const alertTextSchema = z.strictObject({
  title: plainText(TITLE_MAX),
  body: markdown(BODY_MAX),
  ctaLabel: plainText(60),
});

const alertFields = {
  primaryLanguage: languageCode,
  /** The primary language's text is required; others are translations. */
  texts: z
    .record(languageCode, alertTextSchema)
    .refine((texts) => Object.keys(texts).length <= 30, { message: 'must have at most 30 languages' }),
  ctaUrl: httpsUrl,
  urgency: urgencySchema.default('normal'),
  topics: uniqueList(topic, 20).default([]),
  regions: uniqueList(countryCode, 250).default([]),
  expiresAt: isoDate.optional(),
};

const primaryTextPresent = (a: { primaryLanguage?: string; texts?: Record<string, unknown> }) =>
  !a.primaryLanguage || !a.texts || a.primaryLanguage in a.texts;
const primaryTextIssue = { message: 'must include the primary language', path: ['texts'] };

export const createAlertInput = z.strictObject(alertFields).refine(primaryTextPresent, primaryTextIssue);
export type CreateAlertInput = z.infer<typeof createAlertInput>;

/** A draft edit, or a correction of a published alert (which creates a new version). */
export const updateAlertInput = z
  .strictObject({
    primaryLanguage: alertFields.primaryLanguage.optional(),
    texts: alertFields.texts.optional(),
    ctaUrl: alertFields.ctaUrl.optional(),
    urgency: urgencySchema.optional(),
    // Not alertFields' (zod 4 fills a default even inside optional): an edit that leaves targeting out must keep it.
    topics: uniqueList(topic, 20).optional(),
    regions: uniqueList(countryCode, 250).optional(),
    expiresAt: isoDate.nullable().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: 'must change at least one field' });
export type UpdateAlertInput = z.infer<typeof updateAlertInput>;

export const publishAlertInput = z.strictObject({
  /** Publish later; omitted means now. */
  at: isoDate.optional(),
});

export const cancelAlertInput = z.strictObject({
  reason: plainText(500).optional(),
  /** Supporters already reached get a short retraction (default), or, with false, the alert is withdrawn silently. */
  notifySupporters: z.boolean().optional(),
});

export const alertStatusSchema = z.enum(['draft', 'awaiting_approval', 'approved', 'scheduled', 'published', 'cancelled', 'expired']);
export type AlertStatus = z.infer<typeof alertStatusSchema>;

export const renderedTextSchema = z.object({ title: z.string(), body: z.string(), bodyHtml: z.string(), ctaLabel: z.string() });

/** What an alert says and whom it targets, as stored (rendered): shared by the snapshot, the view and the CAP feed's view. */
export const storedAlertContent = {
  primaryLanguage: z.string(),
  texts: z.record(z.string(), renderedTextSchema),
  ctaUrl: z.string(),
  urgency: urgencySchema,
  topics: z.array(z.string()),
  regions: z.array(z.string()),
  expiresAt: isoDate.optional(),
};

/** The alert as relays and delivery need it; carried whole in the published/updated events. */
export const alertSnapshotSchema = z.object({
  alertId: objectId,
  coalitionId: objectId,
  version: z.number().int().positive(),
  ...storedAlertContent,
  publishedAt: isoDate,
});
export type AlertSnapshot = z.infer<typeof alertSnapshotSchema>;

export const alertView = z.object({
  id: objectId,
  coalitionId: objectId,
  status: alertStatusSchema,
  version: z.number().int(),
  ...storedAlertContent,
  scheduledFor: isoDate.optional(),
  publishedAt: isoDate.optional(),
  cancelledAt: isoDate.optional(),
  createdBy: objectId,
  approvedBy: objectId.optional(),
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type AlertView = z.infer<typeof alertView>;

export const alertRequests = {
  create: withActor({ coalitionId: objectId, input: createAlertInput }),
  list: withActor({ coalitionId: objectId }),
  get: withActor({ alertId: objectId }),
  update: withActor({ alertId: objectId, input: updateAlertInput }),
  approve: withActor({ alertId: objectId }),
  /** A draft's author asks the coalition's other coordinators to approve it (they are emailed). */
  requestApproval: withActor({ alertId: objectId }),
  /** With `idempotencyKey` (the HTTP `Idempotency-Key` header), a repeat of the same request answers the first one's result. */
  publish: withActor({ alertId: objectId, input: publishAlertInput, idempotencyKey: idempotencyKey.optional() }),
  cancel: withActor({ alertId: objectId, input: cancelAlertInput }),
  /** What changed since the content was last approved or published, for the coordinator asked to approve. */
  changes: withActor({ alertId: objectId }),
  /** A draft rendered as it would be stored (markdown to sanitised HTML), stored nowhere: for the compose screen's preview. */
  previewContent: withActor({ coalitionId: objectId, input: createAlertInput }),
} as const;

/** What a preview renders from: a draft's texts as stored, and its call to action. */
export const alertPreviewContentView = z.object({
  coalitionId: objectId,
  primaryLanguage: z.string(),
  texts: z.record(z.string(), renderedTextSchema),
  ctaUrl: z.string(),
  urgency: urgencySchema,
});
export type AlertPreviewContentView = z.infer<typeof alertPreviewContentView>;

/** One field that differs: a language's text (`texts.<language>.title|body|ctaLabel`) or a targeting field; absent before = added, absent after = removed. */
export const alertFieldChangeSchema = z.object({
  field: z.string(),
  before: z.union([z.string(), z.array(z.string())]).optional(),
  after: z.union([z.string(), z.array(z.string())]).optional(),
});
export type AlertFieldChange = z.infer<typeof alertFieldChangeSchema>;

/** The alert now against its last approved or published content; `since` is absent when it never was either (all of it is new). */
export const alertChangesView = z.object({
  alertId: objectId,
  status: alertStatusSchema,
  since: z.object({ kind: z.enum(['approved', 'published']), version: z.number().int(), at: isoDate }).optional(),
  changes: z.array(alertFieldChangeSchema),
});
export type AlertChangesView = z.infer<typeof alertChangesView>;
