import type { Response } from 'express';
import { supporterRpc, type ExportedSupporterView, type Principal } from '@clarion/contracts';
import type { RpcClient } from '@clarion/messaging';
import { csvLine } from './csv';
import { writeChunk } from './stream-writes';

/** Supporters asked of subscriptions at a time: memory stays flat however large the audience. */
const PAGE_SIZE = 500;

export type ExportFormat = 'csv' | 'json';

/** What the export route needs of its context (api/api-route.ts's RouteContext has it). */
interface ExportRequest {
  rpc: RpcClient;
  actor: Principal;
  params: { orgId: string };
  query: { format: ExportFormat };
}

/**
 * The first five and the push subscription's three (the last) are what an
 * import reads, so an export, push audience included, can be imported
 * elsewhere as it is.
 */
export const CSV_COLUMNS = [
  'email',
  'language',
  'topics',
  'consent_at',
  'consent_source',
  'id',
  'email_state',
  'push_state',
  'created_at',
  'consent_channel',
  'consent_action',
  'consent_method',
  'consent_ip',
  'consent_user_agent',
  'push_endpoint',
  'push_p256dh',
  'push_auth',
  // Added after the columns an import reads: an SMS supporter's number (E.164) and its state.
  'sms',
  'sms_state',
] as const;

/** The latest consent the supporter gave (granted, confirmed or imported), on whichever channel. */
function latestConsent(supporter: ExportedSupporterView) {
  return supporter.consents.filter((record) => record.action !== 'withdrawn').sort((a, b) => Date.parse(b.at) - Date.parse(a.at))[0];
}

/** One supporter per line, with their latest consent in the consent columns. */
export function csvRow(supporter: ExportedSupporterView): string {
  const consent = latestConsent(supporter);
  return csvLine([
    supporter.email,
    supporter.language,
    supporter.topics.join(';'),
    consent?.at,
    consent?.source,
    supporter.id,
    supporter.emailState,
    supporter.pushState,
    supporter.createdAt,
    consent?.channel,
    consent?.action,
    consent?.method,
    consent?.ip,
    consent?.userAgent,
    supporter.push?.endpoint,
    supporter.push?.keys.p256dh,
    supporter.push?.keys.auth,
    supporter.sms,
    supporter.smsState,
  ]);
}

/** The JSON export is one array, written an element at a time; each element keeps its whole consent history. */
function jsonElements(page: ExportedSupporterView[], first: boolean): string {
  return page.map((supporter, i) => `${first && i === 0 ? '' : ',\n'}${JSON.stringify(supporter)}`).join('');
}

async function* exportPages(rpc: RpcClient, actor: Principal, orgId: string): AsyncGenerator<ExportedSupporterView[]> {
  let after: string | undefined;
  do {
    const page = await rpc.request(supporterRpc.exportPage, { actor, orgId, after, limit: PAGE_SIZE });
    if (page.supporters.length > 0) yield page.supporters;
    after = page.next;
  } while (after);
}

/**
 * Streams the organisation's supporters as CSV (header row first) or a JSON
 * array, one page of 500 at a time, following subscriptions' `next` cursor.
 * subscriptions checks on every page that the actor administers the organisation.
 */
export async function streamSupporterExport(
  { rpc, actor, params, query }: ExportRequest,
  res: Response,
): Promise<void> {
  const pages = exportPages(rpc, actor, params.orgId);
  // Asked before anything is written: a refusal of the first page still answers with its status.
  let page = await pages.next();
  const csv = query.format === 'csv';
  res.status(200);
  res.type(csv ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="supporters-${params.orgId}.${query.format}"`);
  res.setHeader('Cache-Control', 'no-store');
  if (!(await writeChunk(res, csv ? csvLine(CSV_COLUMNS) : '[\n'))) return;
  let first = true;
  while (!page.done) {
    const chunk = csv ? page.value.map(csvRow).join('') : jsonElements(page.value, first);
    if (!(await writeChunk(res, chunk))) return;
    first = false;
    page = await pages.next();
  }
  res.end(csv ? '' : '\n]\n');
}
