import { z } from 'zod';
import { isPhoneRegion } from './phone-number';

// Written with zod alone: libs/config takes these from the registry, so they cannot use its helpers.
const accountSid = z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'must be a Twilio account sid (AC and 32 hex digits)');
const region = z
  .string()
  .trim()
  .toUpperCase()
  .refine(isPhoneRegion, 'must be a region code, e.g. FR or KE');
const regions = z
  .string()
  .transform((value) => value.split(',').map((part) => part.trim().toUpperCase()).filter(Boolean))
  .refine((codes) => codes.every(isPhoneRegion), 'must be region codes separated by commas, e.g. FR,BE,KE');
const httpUrl = z.string().url('must be a URL').refine((url) => /^https?:\/\//.test(url), 'must be an http or https URL');
const ms = (fallback: number) => z.coerce.number({ message: 'must be a number of milliseconds' }).int('must be a whole number of milliseconds').min(1, 'must be at least 1 ms').max(120_000, 'must be at most 120000 ms').default(fallback);

/**
 * SMS's settings (docs/decisions/0037), each service only what it uses: delivery the API key that sends,
 * the gateway the account's auth token that signs inbound replies and the rules a number is taken in by.
 * SMS is on when SMS_ACCOUNT_SID is set (both services); every other setting it needs is then required
 * (`smsSettingsProblem`).
 */
export const smsConfig = {
  delivery: {
    /** Twilio's API (https://api.twilio.com) or a gateway that copies it; a test's local provider. */
    SMS_API_BASE_URL: httpUrl.default('https://api.twilio.com'),
    SMS_ACCOUNT_SID: accountSid.optional(),
    /** HTTP Basic user: an API key's sid (SK…); unset, the account sid. */
    SMS_API_KEY_SID: z.string().regex(/^SK[0-9a-fA-F]{32}$/, 'must be a Twilio API key sid (SK and 32 hex digits)').optional(),
    /** The API key's secret (or the account's auth token when SMS_API_KEY_SID is unset). */
    SMS_API_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
    /** The sender: an E.164 number or an alphanumeric id; or SMS_MESSAGING_SERVICE_SID. */
    SMS_FROM: z.string().regex(/^(\+[1-9]\d{6,14}|[A-Za-z0-9 ]{1,11})$/, 'must be an E.164 number or an alphanumeric id of up to 11 characters').optional(),
    SMS_MESSAGING_SERVICE_SID: z.string().regex(/^MG[0-9a-fA-F]{32}$/, 'must be a Messaging Service sid (MG and 32 hex digits)').optional(),
    /** Bound on one send, answer read included. */
    SMS_TIMEOUT_MS: ms(10_000),
    /** Parts an alert text may take (each is billed); the title is cut to fit. */
    SMS_MAX_SEGMENTS: z.coerce.number({ message: 'must be a whole number of parts' }).int('must be a whole number of parts').min(1, 'must be at least 1 part').max(10, 'must be at most 10 parts').default(3),
  },
  gateway: {
    SMS_ACCOUNT_SID: accountSid.optional(),
    /** The account's auth token: it signs the replies Twilio posts to the inbound webhook (X-Twilio-Signature). */
    SMS_AUTH_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    /** The inbound webhook's URL exactly as configured at the provider: signatures are over it, never the request's Host. */
    SMS_INBOUND_WEBHOOK_URL: httpUrl.optional(),
    /** The region of numbers typed without +country code on the join page. */
    SMS_DEFAULT_REGION: region.optional(),
    /** The regions numbers may belong to (the destinations the installation pays for); unset: any. */
    SMS_ALLOWED_REGIONS: regions.default(() => []),
  },
};

type SmsConfigOf<S extends keyof typeof smsConfig> = z.infer<z.ZodObject<(typeof smsConfig)[S]>>;
export type SmsDeliveryConfig = SmsConfigOf<'delivery'>;
export type SmsGatewayConfig = SmsConfigOf<'gateway'>;

/**
 * Once SMS is on (SMS_ACCOUNT_SID set), what else the service needs, naming the variables; undefined when
 * off or complete. Checked where the service builds its SMS parts, at start.
 */
export function missingSmsSettings(config: Readonly<Record<string, unknown>>, needed: readonly string[]): string | undefined {
  if (config.SMS_ACCOUNT_SID === undefined) return undefined;
  const missing = needed.filter((name) => config[name] === undefined);
  return missing.length > 0 ? `SMS_ACCOUNT_SID is set, so SMS is on: ${missing.join(', ')} must be set too` : undefined;
}
