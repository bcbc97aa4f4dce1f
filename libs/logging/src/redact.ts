/** Keys whose values may be personal data or secrets: never written to logs, at whatever depth they appear. */
// `sms`, `phone`: a number in a contacts map or a join; `From`, `To`: in an SMS provider's form (docs/decisions/0037).
const PERSONAL_KEYS = ['email', 'address', 'endpoint', 'keys', 'token', 'password', 'privateKey', 'sms', 'phone', 'From', 'To'];

/**
 * pino paths for every personal key at the top level, up to three objects
 * deep, and in a list of recipients (a batch's, with their push
 * subscriptions) up to two deep: an erased supporter's address must not
 * survive in a log line either (docs/decisions/0024).
 */
export const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  // A console session's cookie as it is set (sign-in), and the CSRF token derived from it.
  'res.headers["set-cookie"]',
  'req.headers["x-csrf-token"]',
  ...PERSONAL_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`, `*.*.*.${key}`]),
  ...['', '*.', '*.*.'].flatMap((above) => PERSONAL_KEYS.flatMap((key) => [`${above}recipients[*].${key}`, `${above}recipients[*].push.${key}`, `${above}recipients[*].contacts.${key}`])),
];

/** Paths whose last segment is a signed token (unsubscribe, preferences, click, confirmation). */
const TOKEN_PATH = /^(\/(?:u|p|c|join\/confirm))\/[^/?#]+/;

export function maskLinkTokens(url: string): string {
  return url.replace(TOKEN_PATH, '$1/[token]');
}
