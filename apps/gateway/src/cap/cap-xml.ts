import { create } from 'xmlbuilder2';
import type { CapAlertView, Urgency } from '@clarion/contracts';

export const CAP_NS = 'urn:oasis:names:tc:emergency:cap:1.2';
const ATOM_NS = 'http://www.w3.org/2005/Atom';
/** CAP `code`: which mapping of Clarion's alerts to CAP this document follows (docs/decisions/0028). */
export const CLARION_PROFILE = 'profile:clarion:1.0';

/** What a CAP document says about who sent it, and where the feed lives. */
export interface CapSource {
  /** The coalition's name (senderName) and slug (part of `sender`). */
  coalition: { id: string; name: string; slug: string };
  /** The gateway's public origin, e.g. https://alerts.example.org. */
  baseUrl: string;
}

type MsgType = 'Alert' | 'Update' | 'Cancel';

interface CapMessage {
  identifier: string;
  sent: string;
  msgType: MsgType;
}

/**
 * CAP `sent` and `expires`: an xs:dateTime with an explicit offset and no
 * fraction (CAP 1.2 §3.3.2 forbids "Z" and "-00:00").
 */
export function capDateTime(iso: string): string {
  return `${new Date(iso).toISOString().slice(0, 19)}+00:00`;
}

/** `sender`: no spaces, commas or reserved characters (CAP 1.2 §3.2.1); the coalition at this installation's host. */
export function capSender({ coalition, baseUrl }: CapSource): string {
  return `${coalition.slug}@${new URL(baseUrl).hostname}`;
}

/** Every message the alert has produced so far, oldest first: the Alert, one Update per correction, and the Cancel. */
export function capMessages(alert: CapAlertView): CapMessage[] {
  const messages: CapMessage[] = alert.messages.map((message, index) => ({
    identifier: `clarion-${alert.id}-v${message.version}`,
    sent: capDateTime(message.sentAt),
    msgType: index === 0 ? 'Alert' : 'Update',
  }));
  if (alert.status === 'cancelled' && alert.cancelledAt) {
    messages.push({ identifier: `clarion-${alert.id}-cancel`, sent: capDateTime(alert.cancelledAt), msgType: 'Cancel' });
  }
  return messages;
}

/** Clarion's urgency as CAP's: a call to action is always about now, more or less pressingly. */
const CAP_URGENCY: Record<Urgency, string> = { critical: 'Immediate', high: 'Immediate', normal: 'Expected', low: 'Future' };

/** The alert's newest message as a CAP 1.2 document, referencing every earlier one (CAP 1.2 §3.2.1 `references`). */
export function capDocument(alert: CapAlertView, source: CapSource): string {
  const messages = capMessages(alert);
  const current = messages[messages.length - 1];
  const sender = capSender(source);
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele(CAP_NS, 'alert');
  root.ele('identifier').txt(current.identifier);
  root.ele('sender').txt(sender);
  root.ele('sent').txt(current.sent);
  root.ele('status').txt('Actual');
  root.ele('msgType').txt(current.msgType);
  root.ele('scope').txt('Public');
  // The schema's order: code, then references. The code names the profile the document follows, so a consumer can
  // tell Clarion's mapping (and decoders that expect a code always find one); topics go in each info's eventCode.
  root.ele('code').txt(CLARION_PROFILE);
  const earlier = messages.slice(0, -1);
  if (earlier.length > 0) root.ele('references').txt(earlier.map((m) => `${sender},${m.identifier},${m.sent}`).join(' '));
  const languages = [alert.primaryLanguage, ...Object.keys(alert.texts).filter((language) => language !== alert.primaryLanguage)];
  for (const language of languages) {
    const text = alert.texts[language];
    if (!text) continue;
    const cancelled = current.msgType === 'Cancel';
    const info = root.ele('info');
    info.ele('language').txt(language);
    info.ele('category').txt('Other');
    info.ele('event').txt(text.title);
    info.ele('responseType').txt(cancelled ? 'AllClear' : 'None');
    info.ele('urgency').txt(cancelled ? 'Past' : CAP_URGENCY[alert.urgency]);
    info.ele('severity').txt('Unknown');
    info.ele('certainty').txt('Observed');
    for (const topic of alert.topics) info.ele('eventCode').ele('valueName').txt('clarion:topic').up().ele('value').txt(topic);
    if (alert.expiresAt) info.ele('expires').txt(capDateTime(alert.expiresAt));
    info.ele('senderName').txt(source.coalition.name);
    info.ele('headline').txt(text.title);
    info.ele('description').txt(cancelled ? (alert.cancelReason ?? 'Withdrawn by the coalition.') : text.body);
    if (!cancelled) info.ele('instruction').txt(text.ctaLabel);
    info.ele('web').txt(alert.ctaUrl);
    if (alert.regions.length > 0) {
      const area = info.ele('area');
      area.ele('areaDesc').txt(alert.regions.join(', '));
      for (const region of alert.regions) area.ele('geocode').ele('valueName').txt('ISO 3166').up().ele('value').txt(region);
    }
  }
  return root.end({ prettyPrint: true });
}

/** Where the alert's CAP document is served; the feed links each entry to it. */
export function capDocumentUrl(source: CapSource, alertId: string, token?: string): string {
  const url = new URL(`/cap/${source.coalition.id}/alerts/${alertId}.xml`, source.baseUrl);
  if (token) url.searchParams.set('token', token);
  return url.toString();
}

/**
 * The coalition's current alerts as an Atom feed (RFC 4287), one entry per
 * alert holding its newest CAP message, linked as application/cap+xml (the
 * CAP feed convention of OASIS's cap-feeds note). A token the reader used is
 * carried into the links, so a protected feed's entries open for it too.
 */
export function capAtomFeed(alerts: CapAlertView[], source: CapSource, now: Date, token?: string): string {
  const feedUrl = new URL(`/cap/${source.coalition.id}/alerts.atom`, source.baseUrl).toString();
  const newest = alerts.flatMap((alert) => capMessages(alert).map((m) => m.sent)).sort().at(-1);
  const feed = create({ version: '1.0', encoding: 'UTF-8' }).ele(ATOM_NS, 'feed');
  feed.ele('id').txt(`urn:clarion:coalition:${source.coalition.id}:cap`);
  feed.ele('title').txt(`${source.coalition.name}: current alerts`);
  feed.ele('updated').txt(newest ?? capDateTime(now.toISOString()));
  feed.ele('author').ele('name').txt(source.coalition.name);
  feed.ele('link', { rel: 'self', href: feedUrl, type: 'application/atom+xml' });
  for (const alert of alerts) {
    const messages = capMessages(alert);
    const current = messages[messages.length - 1];
    const text = alert.texts[alert.primaryLanguage] ?? Object.values(alert.texts)[0];
    const entry = feed.ele('entry');
    entry.ele('id').txt(`urn:clarion:cap:${current.identifier}`);
    entry.ele('title').txt(current.msgType === 'Cancel' ? `Cancelled: ${text.title}` : text.title);
    entry.ele('updated').txt(current.sent);
    entry.ele('published').txt(messages[0].sent);
    entry.ele('category', { term: current.msgType });
    entry.ele('summary').txt(current.msgType === 'Cancel' ? (alert.cancelReason ?? 'Withdrawn by the coalition.') : text.body);
    entry.ele('link', { rel: 'alternate', type: 'application/cap+xml', href: capDocumentUrl(source, alert.id, token) });
  }
  return feed.end({ prettyPrint: true });
}
