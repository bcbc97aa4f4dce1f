import { isSupportedCountry, parsePhoneNumberWithError, ParseError, type CountryCode, type NumberType } from 'libphonenumber-js/max';
import { Invalid } from '@clarion/errors';

/** What a supporter's number must be to be kept for SMS (docs/decisions/0037). */
export interface PhoneRules {
  /** The region of numbers written without a +country code, e.g. 0612345678 with FR (SMS_DEFAULT_REGION). */
  defaultRegion?: CountryCode;
  /**
   * The regions numbers may belong to (SMS_ALLOWED_REGIONS); empty: any. Sending costs money per
   * destination, and SMS pumping fraud signs up numbers in expensive ones to make us send codes there.
   */
  allowedRegions?: readonly CountryCode[];
}

/** Longer than any number written by a person, even with spaces and punctuation; refused before parsing. */
const MAX_INPUT_LENGTH = 40;

/**
 * What a person writes a number with. libphonenumber finds a number inside any text (`tel:+33…`,
 * `=HYPERLINK("…","+33…")`), so a cell or field holding more than that is refused rather than mined.
 */
const WRITTEN_AS_A_NUMBER = /^\+?[\d\s\-.()/]+$/;
const WRITTEN_AS = 'must be written with digits, spaces and + - . ( ) / only';
/** The same, and letters and # (words, an extension: `ext. 12`), which parsing then tells apart. */
const MAYBE_A_NUMBER = /^[\p{L}\d\s+\-.()/#]+$/u;

/**
 * Types that cannot take a text, or that no supporter carries (toll-free, premium rate: also
 * where pumping fraud sends). Unknown and FIXED_LINE_OR_MOBILE (the US and Canada) are kept.
 */
const NOT_FOR_SMS: ReadonlySet<NumberType> = new Set<NumberType>(['FIXED_LINE', 'TOLL_FREE', 'PREMIUM_RATE', 'SHARED_COST', 'VOICEMAIL', 'UAN', 'PAGER']);

const PARSE_PROBLEMS: Record<string, string> = {
  INVALID_COUNTRY: 'must start with + and the country code (no default region applies)',
  NOT_A_NUMBER: 'must be a phone number',
  TOO_SHORT: 'is too short for a phone number',
  TOO_LONG: 'is too long for a phone number',
  INVALID_LENGTH: 'has the wrong number of digits',
};

export type PhoneCheck = { ok: true; e164: string } | { ok: false; problem: string };

/**
 * A supporter's mobile number in E.164 (+33612345678), the one form stored,
 * compared and sent to providers; or what is wrong with it, worded to follow
 * the field's name. Problems never repeat the number: they end up in logs.
 */
export function checkPhoneNumber(input: unknown, rules: PhoneRules): PhoneCheck {
  const problem = (text: string): PhoneCheck => ({ ok: false, problem: text });
  if (typeof input !== 'string' || input.trim() === '') return problem('must be a phone number, e.g. +33612345678');
  if (input.length > MAX_INPUT_LENGTH) return problem(`must be at most ${MAX_INPUT_LENGTH} characters`);
  if (!MAYBE_A_NUMBER.test(input)) return problem(WRITTEN_AS);

  let number;
  try {
    number = parsePhoneNumberWithError(input, rules.defaultRegion);
  } catch (error) {
    if (error instanceof ParseError) return problem(PARSE_PROBLEMS[error.message] ?? 'must be a phone number');
    throw error;
  }
  if (number.ext) return problem('must not have an extension');
  if (!WRITTEN_AS_A_NUMBER.test(input.trim())) return problem(WRITTEN_AS);
  if (!number.isValid()) return problem(`is not a valid number${number.country ? ` in ${number.country}` : ''}`);
  if (NOT_FOR_SMS.has(number.getType())) return problem('must be a mobile number that can receive SMS');
  const { allowedRegions = [] } = rules;
  if (allowedRegions.length > 0 && !(number.country && allowedRegions.includes(number.country))) {
    return problem(`must be a number in ${allowedRegions.join(', ')}`);
  }
  return { ok: true, e164: number.number };
}

/** checkPhoneNumber for a service: the number in E.164, or Invalid naming `field`. */
export function normalisePhoneNumber(input: unknown, rules: PhoneRules, field = 'phone'): string {
  const checked = checkPhoneNumber(input, rules);
  if (!checked.ok) throw new Invalid(`${field} ${checked.problem}`, field);
  return checked.e164;
}

/** Whether `code` is a region code libphonenumber knows (FR, KE), for validating SMS_DEFAULT_REGION and SMS_ALLOWED_REGIONS. */
export function isPhoneRegion(code: string): code is CountryCode {
  return isSupportedCountry(code);
}
