import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { joinInput, languageCode, topic, uniqueList } from '@clarion/contracts';
import { Invalid } from '@clarion/errors';

export const IMPORT_COLUMNS = ['email', 'language', 'topics', 'consent_at', 'consent_source'] as const;
type ImportColumn = (typeof IMPORT_COLUMNS)[number];

/** A row fit to import: an address with evidence of when and where its owner consented. */
export interface ImportRow {
  email: string;
  language: string;
  topics: string[];
  consentAt: Date;
  consentSource: string;
}

/** `line` is where the row ends in the file, the header being line 1, so an admin can find it. */
export type ImportLine = { line: number } & ({ ok: true; row: ImportRow } | { ok: false; reason: string });

const email = joinInput.shape.email.unwrap();
const topics = uniqueList(topic, 50);
const consentAt = z.union([z.iso.datetime({ offset: true }), z.iso.date()], { message: 'must be an ISO 8601 date or date-time, e.g. 2025-03-01' });
const SOURCE_MAX = 500;

/**
 * Every row of an import CSV, checked. The whole file is parsed before
 * anything is written (the contract caps it at 5 MB), so a file that is not
 * CSV, or lacks a column, changes nothing. Extra columns are ignored.
 */
export function readImportCsv(csv: string, now: Date): ImportLine[] {
  let header: string[] = [];
  let rows: { fields: Record<string, string | undefined>; line: number }[];
  try {
    rows = parse<{ fields: Record<string, string | undefined>; line: number }, Record<string, string | undefined>>(csv, {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      columns: (names: string[]) => (header = names.map((name) => name.toLowerCase())),
      on_record: (fields, { lines }) => ({ fields, line: lines }),
    });
  } catch (error) {
    throw new Invalid(`csv is not valid CSV: ${error instanceof Error ? error.message : String(error)}`, 'csv');
  }
  const missing = IMPORT_COLUMNS.filter((column) => !header.includes(column));
  if (missing.length > 0) throw new Invalid(`csv must start with the header ${IMPORT_COLUMNS.join(',')}; it lacks ${missing.join(', ')}`, 'csv');
  return rows.map(({ fields, line }) => {
    const values = Object.fromEntries(IMPORT_COLUMNS.map((column) => [column, fields[column] ?? ''])) as Record<ImportColumn, string>;
    return { line, ...checkRow(values, now) };
  });
}

/** Address, language and topics as the join page would accept them; and consent evidence that is present and not in the future. */
export function checkRow(fields: Record<ImportColumn, string>, now: Date): { ok: true; row: ImportRow } | { ok: false; reason: string } {
  const address = email.safeParse(fields.email);
  if (!address.success) return refused('email', address.error);
  const language = languageCode.safeParse(fields.language);
  if (!language.success) return refused('language', language.error);
  const topicList = topics.safeParse(fields.topics.split(';').map((entry) => entry.trim()).filter(Boolean));
  if (!topicList.success) return refused('topics', topicList.error);

  if (!fields.consent_at || !fields.consent_source) return { ok: false, reason: 'no consent evidence: consent_at and consent_source are both needed' };
  const given = consentAt.safeParse(fields.consent_at);
  if (!given.success) return refused('consent_at', given.error);
  const at = new Date(given.data);
  if (at.getTime() > now.getTime()) return { ok: false, reason: 'consent_at is in the future' };
  if (fields.consent_source.length > SOURCE_MAX) return { ok: false, reason: `consent_source must be at most ${SOURCE_MAX} characters` };

  return { ok: true, row: { email: address.data, language: language.data, topics: topicList.data, consentAt: at, consentSource: fields.consent_source } };
}

function refused(column: ImportColumn, error: z.ZodError): { ok: false; reason: string } {
  return { ok: false, reason: `${column} ${error.issues[0].message}` };
}
