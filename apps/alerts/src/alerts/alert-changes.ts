import type { AlertChangesView, AlertFieldChange } from '@clarion/contracts';
import type { AlertContent, AlertRecord } from './alert.schema';

type Value = string | string[] | undefined;

/**
 * The alert now against the content last approved or published: a draft or an
 * alert awaiting approval against `reviewedContent` (kept through the edits that
 * sent it back to draft), a corrected alert against the version it replaced.
 */
export function alertChanges(alert: AlertRecord): AlertChangesView {
  const base = baseline(alert);
  const view = { alertId: alert._id.toHexString(), status: alert.status };
  if (!base) return { ...view, changes: [] };
  return { ...view, since: { kind: base.kind, version: base.version, at: base.at.toISOString() }, changes: differences(base.content, alert) };
}

function baseline(alert: AlertRecord): { kind: 'approved' | 'published'; version: number; at: Date; content: AlertContent } | undefined {
  const previous = alert.versions.at(-1);
  if (alert.status === 'published' && previous) return { kind: 'published', version: previous.version, at: previous.replacedAt, content: previous };
  const reviewed = alert.reviewedContent;
  return reviewed ? { kind: reviewed.kind, version: reviewed.version, at: new Date(reviewed.at), content: reviewed } : undefined;
}

function differences(before: AlertContent, after: AlertContent): AlertFieldChange[] {
  const changes: AlertFieldChange[] = [];
  const compare = (field: string, was: Value, now: Value) => {
    if (JSON.stringify(was) === JSON.stringify(now)) return;
    changes.push({ field, ...(was !== undefined ? { before: was } : {}), ...(now !== undefined ? { after: now } : {}) });
  };
  compare('primaryLanguage', before.primaryLanguage, after.primaryLanguage);
  const languages = [...new Set([...Object.keys(before.texts), ...Object.keys(after.texts)])].sort();
  for (const language of languages) {
    for (const part of ['title', 'body', 'ctaLabel'] as const) compare(`texts.${language}.${part}`, before.texts[language]?.[part], after.texts[language]?.[part]);
  }
  compare('ctaUrl', before.ctaUrl, after.ctaUrl);
  compare('urgency', before.urgency, after.urgency);
  compare('topics', [...before.topics].sort(), [...after.topics].sort());
  compare('regions', [...before.regions].sort(), [...after.regions].sort());
  compare('expiresAt', isoOf(before.expiresAt), isoOf(after.expiresAt));
  return changes;
}

const isoOf = (date: Date | string | undefined) => (date ? new Date(date).toISOString() : undefined);
