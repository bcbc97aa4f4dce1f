import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { checkPhoneNumber, type PhoneRules } from '@clarion/channels';
import { joinInput, languageCode, pushSubscriptionSchema, topic, uniqueList } from '@clarion/contracts';
import { Invalid } from '@clarion/errors';

/** Always required. */
const BASE_COLUMNS = ['language', 'topics', 'consent_at', 'consent_source'] as const;
/** A browser's push subscription, as its PushSubscription JSON gives it: all three columns or none. */
export const PUSH_COLUMNS = ['push_endpoint', 'push_p256dh', 'push_auth'] as const;
/** A mobile number for SMS; the organisation export names it `sms`, which is read the same when there is no `phone`. */
export const PHONE_COLUMN = 'phone';
const EXPORTED_PHONE_COLUMN = 'sms';
export const IMPORT_COLUMNS = ['email', ...BASE_COLUMNS, ...PUSH_COLUMNS, PHONE_COLUMN] as const;
type ImportColumn = (typeof IMPORT_COLUMNS)[number];
type PushColumn = (typeof PUSH_COLUMNS)[number];

/** A row's cells by column; a column the file lacks, or a short row, is empty. */
export type ImportFields = Partial<Record<ImportColumn, string>>;

/** A push subscription as the join page takes it, less the expiry the browser may add (which join drops too). */
export interface ImportedPush {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

/** A row fit to import: an address, a push subscription, a number (any of them), with evidence of when and where its owner consented. */
export interface ImportRow {
  email?: string;
  push?: ImportedPush;
  /** E.164. */
  phone?: string;
  language: string;
  topics: string[];
  consentAt: Date;
  consentSource: string;
}

export type RowVerdict = { ok: true; row: ImportRow } | { ok: false; reason: string };

/** `line` is where the row ends in the file, the header being line 1, so an admin can find it. */
export type ImportLine = { line: number } & RowVerdict;

const email = joinInput.shape.email.unwrap();
const topics = uniqueList(topic, 50);
const consentAt = z.union([z.iso.datetime({ offset: true }), z.iso.date()], { message: 'must be an ISO 8601 date or date-time, e.g. 2025-03-01' });
const SOURCE_MAX = 500;
/** Where the subscription schema's issues point, as the CSV names them. */
const PUSH_COLUMN_OF: Record<string, PushColumn> = { endpoint: 'push_endpoint', 'keys.p256dh': 'push_p256dh', 'keys.auth': 'push_auth' };

/**
 * Every row of an import CSV, checked. The whole file is parsed before
 * anything is written (the contract caps it at 5 MB), so a file that is not
 * CSV, or lacks a column, changes nothing. Extra columns are ignored.
 *
 * The header needs language, topics, consent_at and consent_source, and
 * `email`, the three push columns or `phone`, or several; a row needs one of
 * the contacts they hold. `sms`: the installation's rules for numbers, absent
 * when it does not offer SMS (then a row giving a phone is skipped).
 */
export function readImportCsv(csv: string, now: Date, sms?: PhoneRules): ImportLine[] {
  let header: string[] = [];
  let rows: { fields: ImportFields; line: number }[];
  try {
    rows = parse<{ fields: ImportFields; line: number }, ImportFields>(csv, {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      columns: (names: string[]) => (header = withPhoneColumn(names.map((name) => name.toLowerCase()))),
      on_record: (fields, { lines }) => ({ fields, line: lines }),
    });
  } catch (error) {
    throw new Invalid(`csv is not valid CSV: ${error instanceof Error ? error.message : String(error)}`, 'csv');
  }
  assertHeader(header);
  return rows.map(({ fields, line }) => ({ line, ...checkRow(fields, now, sms) }));
}

/** An export taken back: its `sms` column is the number, unless the file also has `phone`. */
function withPhoneColumn(header: string[]): string[] {
  if (header.includes(PHONE_COLUMN)) return header;
  return header.map((name) => (name === EXPORTED_PHONE_COLUMN ? PHONE_COLUMN : name));
}

function assertHeader(header: string[]): void {
  const pushGiven = PUSH_COLUMNS.filter((column) => header.includes(column));
  const contactGiven = header.includes('email') || header.includes(PHONE_COLUMN) || pushGiven.length > 0;
  const required = [...(pushGiven.length > 0 ? PUSH_COLUMNS : contactGiven ? [] : ['email']), ...BASE_COLUMNS];
  const missing = required.filter((column) => !header.includes(column));
  if (missing.length === 0) return;
  throw new Invalid(
    `csv must start with the header ${['email', ...BASE_COLUMNS].join(',')}, optionally followed by ${PUSH_COLUMNS.join(',')} ` +
      `(all three) and ${PHONE_COLUMN} (with either, email may be left out); it lacks ${missing.join(', ')}`,
    'csv',
  );
}

/**
 * Address, push subscription, number, language and topics as the join page
 * would accept them (at least one of address, subscription and number); and
 * consent evidence that is present and not in the future. Whether the push
 * endpoint may be sent to is asked of the network later (checkPushEndpoint),
 * as join does.
 */
export function checkRow(fields: ImportFields, now: Date, sms?: PhoneRules): RowVerdict {
  const cell = (column: ImportColumn) => fields[column] ?? '';

  let address: string | undefined;
  if (cell('email')) {
    const parsed = email.safeParse(cell('email'));
    if (!parsed.success) return refused('email', parsed.error);
    address = parsed.data;
  }
  const push = checkPush(cell);
  if (push && !push.ok) return push;
  const phone = checkPhone(cell(PHONE_COLUMN), sms);
  if (phone && !phone.ok) return phone;
  if (!address && !push && !phone) {
    return { ok: false, reason: `email is missing: a row needs an email address, a push subscription (${PUSH_COLUMNS.join(', ')}) or a ${PHONE_COLUMN} number, or several` };
  }

  const language = languageCode.safeParse(cell('language'));
  if (!language.success) return refused('language', language.error);
  const topicList = topics.safeParse(cell('topics').split(';').map((entry) => entry.trim()).filter(Boolean));
  if (!topicList.success) return refused('topics', topicList.error);

  if (!cell('consent_at') || !cell('consent_source')) return { ok: false, reason: 'no consent evidence: consent_at and consent_source are both needed' };
  const given = consentAt.safeParse(cell('consent_at'));
  if (!given.success) return refused('consent_at', given.error);
  const at = new Date(given.data);
  if (at.getTime() > now.getTime()) return { ok: false, reason: 'consent_at is in the future' };
  if (cell('consent_source').length > SOURCE_MAX) return { ok: false, reason: `consent_source must be at most ${SOURCE_MAX} characters` };

  return {
    ok: true,
    row: {
      ...(address ? { email: address } : {}),
      ...(push ? { push: push.push } : {}),
      ...(phone ? { phone: phone.e164 } : {}),
      language: language.data,
      topics: topicList.data,
      consentAt: at,
      consentSource: cell('consent_source'),
    },
  };
}

/**
 * A key cell as the organisation export wrote it: a base64url key that starts
 * with `-` leaves it behind an apostrophe, so no spreadsheet reads it as a
 * formula (gateway csv.ts). Keys never hold an apostrophe, so it is taken off.
 */
const exportedKey = (text: string) => (/^'[=+\-@]/.test(text) ? text.slice(1) : text);

/** Undefined when the row has no subscription; the same schema as the join page's `push`. */
function checkPush(cell: (column: ImportColumn) => string): { ok: true; push: ImportedPush } | { ok: false; reason: string } | undefined {
  const given = PUSH_COLUMNS.filter((column) => cell(column));
  if (given.length === 0) return undefined;
  const missing = PUSH_COLUMNS.find((column) => !cell(column));
  if (missing) return { ok: false, reason: `${missing} is missing: ${PUSH_COLUMNS.join(', ')} go together` };
  const keys = { p256dh: exportedKey(cell('push_p256dh')), auth: exportedKey(cell('push_auth')) };
  const parsed = pushSubscriptionSchema.safeParse({ endpoint: cell('push_endpoint'), keys });
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    return { ok: false, reason: `${PUSH_COLUMN_OF[issue.path.join('.')] ?? 'push_endpoint'} ${issue.message}` };
  }
  return { ok: true, push: { endpoint: parsed.data.endpoint, keys: parsed.data.keys } };
}

/**
 * Undefined when the row has no number; otherwise the number in E.164 under the SMS channel's rules (the
 * join page's), or why not. The export writes a number behind an apostrophe (`'+33…`: a leading + is a
 * formula character to a spreadsheet), so that one apostrophe is taken off; anything else that is not
 * written as a number, a formula included, is refused by the channel's check.
 */
function checkPhone(given: string, sms: PhoneRules | undefined): { ok: true; e164: string } | { ok: false; reason: string } | undefined {
  if (!given) return undefined;
  if (!sms) return { ok: false, reason: `${PHONE_COLUMN} cannot be taken: this network does not offer SMS` };
  const checked = checkPhoneNumber(/^'\+/.test(given) ? given.slice(1) : given, sms);
  return checked.ok ? checked : { ok: false, reason: `${PHONE_COLUMN} ${checked.problem}` };
}

function refused(column: ImportColumn, error: z.ZodError): { ok: false; reason: string } {
  return { ok: false, reason: `${column} ${error.issues[0].message}` };
}
