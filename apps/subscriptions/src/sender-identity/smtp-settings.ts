import type { SenderSmtpView } from '@clarion/contracts';

/**
 * The settings as callers see them: where mail goes and as whom, never the
 * password. The port is the one nodemailer will use (465 for smtps, 587 for
 * smtp when the URL names none).
 */
export function toSenderSmtpView(orgId: string, settings: { url: string; from: string } | undefined): SenderSmtpView {
  if (!settings) return { orgId, smtp: null };
  const url = new URL(settings.url);
  const secure = url.protocol === 'smtps:';
  const user = url.username ? percentDecoded(url.username) : undefined;
  return {
    orgId,
    smtp: { host: url.hostname, port: Number(url.port) || (secure ? 465 : 587), secure, ...(user ? { user } : {}), from: settings.from },
  };
}

/** A user name with a stray `%` is taken literally, as the URL parser kept it. */
function percentDecoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
