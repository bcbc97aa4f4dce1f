import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Twilio's request signature (X-Twilio-Signature), written from its security
 * docs rather than taken from the `twilio` SDK: base64 HMAC-SHA1, keyed with
 * the account's auth token, over the full URL Twilio was given followed by
 * every form parameter as name then value, in name order (repeated names:
 * each distinct value, sorted). Twilio signs with or without the default port
 * depending on the product, so both forms are accepted, as its SDK does.
 */
export function twilioSignature(authToken: string, url: string, params: URLSearchParams): string {
  let data = new URL(url).toString();
  for (const name of [...new Set(params.keys())].sort()) {
    for (const value of [...new Set(params.getAll(name))].sort()) data += name + value;
  }
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

/** Compared in constant time against the URL as configured, with and without its default port. */
export function hasTwilioSignature(authToken: string, url: string, params: URLSearchParams, header: string | undefined): boolean {
  if (!header) return false;
  const given = Buffer.from(header);
  // Both forms are always computed and compared, so the time taken does not say which one was close.
  return urlForms(url)
    .map((form) => {
      const expected = Buffer.from(twilioSignature(authToken, form, params));
      return expected.length === given.length && timingSafeEqual(expected, given);
    })
    .some(Boolean);
}

function urlForms(url: string): string[] {
  const parsed = new URL(url);
  if (parsed.port) return [parsed.toString(), `${parsed.protocol}//${parsed.hostname}${parsed.pathname}${parsed.search}`];
  // WHATWG URLs drop a default port on their own, so the form with it is written out by hand.
  return [parsed.toString(), `${parsed.protocol}//${parsed.host}:${parsed.protocol === 'https:' ? 443 : 80}${parsed.pathname}${parsed.search}`];
}
