import { objectId } from '@clarion/contracts';

/** A bounce or complaint worth acting on, named by the delivery id our message carried. */
export interface ProviderReport {
  kind: 'hard-bounce' | 'complaint';
  deliveryId: string;
  reason: string;
}

/** Why a report is left alone (answered 200, so the provider does not send it again). */
export interface IgnoredReport {
  ignored: string;
}

const DELIVERY_TAG = 'clarion-delivery-id';
const DELIVERY_HEADER = 'x-clarion-delivery-id';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
const validId = (value: unknown) => (objectId.safeParse(value).success ? (value as string) : undefined);

/**
 * SES's notification, from an SNS message's Message: identity notifications
 * (`notificationType`) and configuration-set events (`eventType`) alike. Only a
 * permanent bounce and a complaint act; transient bounces, deliveries and the
 * rest are ignored. The delivery id comes from the message's tags
 * (X-SES-MESSAGE-TAGS) or its original headers, whichever SES included.
 */
export function sesReport(message: string): ProviderReport | IgnoredReport {
  let body: unknown;
  try {
    body = JSON.parse(message);
  } catch {
    return { ignored: 'Message is not JSON' };
  }
  if (!isObject(body)) return { ignored: 'Message is not an object' };
  const type = text(body.notificationType) ?? text(body.eventType);
  const mail = isObject(body.mail) ? body.mail : {};
  const deliveryId = sesDeliveryId(mail);
  if (type === 'Bounce') {
    const bounce = isObject(body.bounce) ? body.bounce : {};
    if (bounce.bounceType !== 'Permanent') return { ignored: `bounce type ${String(bounce.bounceType)}` };
    if (!deliveryId) return { ignored: 'no Clarion delivery id in the message' };
    return { kind: 'hard-bounce', deliveryId, reason: `Permanent/${String(bounce.bounceSubType ?? 'General')}` };
  }
  if (type === 'Complaint') {
    if (!deliveryId) return { ignored: 'no Clarion delivery id in the message' };
    const complaint = isObject(body.complaint) ? body.complaint : {};
    return { kind: 'complaint', deliveryId, reason: String(complaint.complaintFeedbackType ?? 'complaint') };
  }
  return { ignored: `notification type ${String(type)}` };
}

function sesDeliveryId(mail: Json): string | undefined {
  const tags = isObject(mail.tags) ? mail.tags : {};
  const tagged = Array.isArray(tags[DELIVERY_TAG]) ? (tags[DELIVERY_TAG] as unknown[])[0] : undefined;
  if (validId(tagged)) return tagged as string;
  const headers = Array.isArray(mail.headers) ? mail.headers : [];
  const header = headers.find((h): h is Json => isObject(h) && text(h.name)?.toLowerCase() === DELIVERY_HEADER);
  return validId(header?.value);
}

/** Postmark's bounce types that mean the address will never take mail (its "hard" ones). */
const POSTMARK_HARD = new Set(['HardBounce', 'BadEmailAddress']);

/**
 * Postmark's Bounce and SpamComplaint webhooks
 * (https://postmarkapp.com/developer/webhooks/bounce-webhook): the delivery id
 * comes back in Metadata, from the X-PM-Metadata-clarion-delivery-id header.
 */
export function postmarkReport(body: unknown): (ProviderReport & { reportId: string }) | IgnoredReport {
  if (!isObject(body)) return { ignored: 'body is not an object' };
  const metadata = isObject(body.Metadata) ? body.Metadata : {};
  const deliveryId = validId(metadata[DELIVERY_TAG]);
  const reportId = `${String(body.RecordType)}:${String(body.ID ?? body.MessageID ?? '')}`;
  if (body.RecordType === 'SpamComplaint') {
    if (!deliveryId) return { ignored: 'no Clarion delivery id in Metadata' };
    return { kind: 'complaint', deliveryId, reason: 'SpamComplaint', reportId };
  }
  if (body.RecordType === 'Bounce') {
    const type = text(body.Type) ?? '';
    if (!POSTMARK_HARD.has(type)) return { ignored: `bounce type ${type}` };
    if (!deliveryId) return { ignored: 'no Clarion delivery id in Metadata' };
    return { kind: 'hard-bounce', deliveryId, reason: type, reportId };
  }
  return { ignored: `record type ${String(body.RecordType)}` };
}
