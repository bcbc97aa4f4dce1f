/** Fields that may hold personal data or secrets; never written to logs. */
export const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.email',
  '*.endpoint',
  '*.keys',
  '*.token',
  '*.password',
  '*.privateKey',
];

/** Paths whose last segment is a signed token (unsubscribe, preferences, click, confirmation). */
const TOKEN_PATH = /^(\/(?:u|p|c|join\/confirm))\/[^/?#]+/;

export function maskLinkTokens(url: string): string {
  return url.replace(TOKEN_PATH, '$1/[token]');
}
