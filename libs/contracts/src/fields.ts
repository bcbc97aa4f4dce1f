import { z } from 'zod';

/** Field types shared by HTTP bodies and NATS payloads; each error message says what is accepted. */

export const objectId = z.string().regex(/^[0-9a-f]{24}$/, 'must be a 24-character hex id');
export const isoDate = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time, e.g. 2026-11-23T18:00:00Z' });

const MARKUP = /<\s*\/?\s*[a-z!][^>]*>/i;

/** Plain text shown to people: trimmed, bounded, and no markup (nothing to sanitise later). */
export const plainText = (max: number, min = 1) =>
  z
    .string()
    .trim()
    .min(min, min === 1 ? 'must not be empty' : `must be at least ${min} characters`)
    .max(max, `must be at most ${max} characters`)
    .refine((value) => !MARKUP.test(value), { message: 'must be plain text without HTML tags' });

/** Markdown: rendered to sanitised HTML on write; script and javascript: are refused outright. */
export const markdown = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((value) => !/<\s*script/i.test(value) && !/javascript\s*:/i.test(value), {
      message: 'must not contain scripts',
    });

/**
 * The value of an `Idempotency-Key` header: 1 to 200 printable ASCII
 * characters (a UUID is the usual choice). Checked before anything is stored.
 */
export const idempotencyKey = z
  .string()
  .regex(/^[\x20-\x7e]{1,200}$/, 'must be 1 to 200 printable ASCII characters, e.g. a UUID');

/**
 * A secret sealed to delivery's key (libs/security sealed-secret.ts: `x1.<key id>.<ephemeral key>.<nonce>.<ciphertext>`):
 * carried and stored by services that cannot open it. Its shape only; delivery opens it.
 */
export const sealedSecret = z
  .string()
  .max(4_000, 'must be at most 4000 characters')
  .regex(/^x1\.[A-Za-z0-9_-]{11}\.[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22,}$/, 'must be a secret sealed to delivery’s key');

/** An API token as it crosses the bus: its sha256 in hex, never the token (libs/security api-token.ts). */
export const tokenHash = z.string().regex(/^[0-9a-f]{64}$/, 'must be the sha256 of the token in hex, never the token itself');

export const httpsUrl = z
  .string()
  .max(2_000, 'must be at most 2000 characters')
  .refine(
    (value) => {
      try {
        return new URL(value).protocol === 'https:';
      } catch {
        return false;
      }
    },
    { message: 'must be an https:// URL' },
  );

export const slug = z
  .string()
  .min(2, 'must be at least 2 characters')
  .max(64, 'must be at most 64 characters')
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lowercase letters, digits and single hyphens, e.g. amnesty-uk');

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });
const languageNames = new Intl.DisplayNames(['en'], { type: 'language' });

/** Intl throws on malformed codes; zod still runs refinements after a failed regex, so guard. */
function displayName(names: Intl.DisplayNames, code: string): string | undefined {
  try {
    return names.of(code);
  } catch {
    return undefined;
  }
}

/** ISO 3166-1 alpha-2, checked against the ICU region list that ships with Node. */
export const countryCode = z
  .string()
  .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code in capitals, e.g. KE')
  .refine((code) => {
    const name = displayName(regionNames, code);
    return !!name && name !== code && name !== 'Unknown Region';
  }, { message: 'must be an existing ISO 3166-1 alpha-2 country code' });

/** A BCP 47 primary language subtag known to ICU, e.g. en, fr, sw. */
export const languageCode = z
  .string()
  .regex(/^[a-z]{2,3}$/, 'must be a lowercase ISO 639 language code, e.g. en')
  .refine((code) => {
    const name = displayName(languageNames, code);
    return !!name && name !== code;
  }, { message: 'must be a known ISO 639 language code' });

export const topic = z
  .string()
  .min(1)
  .max(48, 'must be at most 48 characters')
  .regex(/^[a-z0-9]+(?:[-_][a-z0-9]+)*$/, 'must be lowercase words joined by - or _, e.g. civic-space');

export const colour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a hex colour like #0055aa');

/** A set given as an array: bounded and without repeats. */
export const uniqueList = <T extends z.ZodType>(item: T, max: number) =>
  z
    .array(item)
    .max(max, `must have at most ${max} entries`)
    .refine((list) => new Set(list.map((v) => JSON.stringify(v))).size === list.length, { message: 'must not repeat entries' });
