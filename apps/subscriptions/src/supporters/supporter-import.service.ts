import { Injectable, Logger } from '@nestjs/common';
import type { Types } from 'mongoose';
import { channels, type PhoneRules } from '@clarion/channels';
import type { DeliveryChannel, ImportResultView } from '@clarion/contracts';
import { OutboundRules } from '@clarion/security';
import { PublicOrganisationService } from './public-organisation.service';
import { ConsentRepository } from './consent.repository';
import type { Consent } from './consent.schema';
import { PHONE_COLUMN, readImportCsv, type ImportRow } from './import-rows';
import { assertMayManageSupporters } from './supporter-access';
import { SupporterRepository, type ImportedSupporter, type KnownSupporter } from './supporter.repository';
import type { SupporterRequest } from '../common/requests';

/** Rows per insert command (and its consent records' insert): a large file goes in several bounded commands, each ~0.1 s on the embedded FerretDB. */
export const IMPORT_CHUNK_ROWS = 1_000;

const REPEATED = 'already on the list (added while importing, or repeated in the file)';

type Skipped = ImportResultView['skipped'][number];
/** Supporters already on the list, by address, by push subscription hash and by number. */
interface KnownSupporters {
  byEmail: Map<string, KnownSupporter>;
  byEndpointHash: Map<string, KnownSupporter>;
  byPhone: Map<string, KnownSupporter>;
}
/** A row fit to import, with its push subscription as stored (hashed). */
interface FitLine {
  line: number;
  row: ImportRow;
  supporter: ImportedSupporter;
}

/**
 * An organisation's own list, brought in with the evidence of consent it
 * holds. Only rows with that evidence are imported, active on email and push
 * where they bring them. A number comes in pending on SMS, whose consent is
 * the code its owner types back (docs/decisions/0037): nothing is texted to it
 * until they join with it. An address, subscription or number already on the
 * list is never duplicated, nor merged into; one that left (unsubscribed, or
 * suppressed after bounces) is never resubscribed; a pending address (joined,
 * not yet confirmed) becomes active.
 */
@Injectable()
export class SupporterImportService {
  private readonly logger = new Logger(SupporterImportService.name);
  constructor(
    private readonly organisations: PublicOrganisationService,
    private readonly supporters: SupporterRepository,
    private readonly consents: ConsentRepository,
    private readonly outbound: OutboundRules,
  ) {}

  async importCsv({ actor, orgId, csv, sms }: SupporterRequest<'importCsv'>): Promise<ImportResultView> {
    assertMayManageSupporters(actor, orgId);
    await this.organisations.findById(orgId);
    const started = Date.now();
    const lines = readImportCsv(csv, new Date(), sms as PhoneRules | undefined);
    const skipped: Skipped[] = lines.flatMap((line) => (line.ok ? [] : [{ line: line.line, reason: line.reason }]));
    const checked = await this.withSendablePush(lines.flatMap((line) => (line.ok ? [{ line: line.line, row: line.row }] : [])));
    const fit: FitLine[] = [];
    for (const line of checked) {
      if ('reason' in line) skipped.push(line);
      else fit.push(line);
    }
    const { first, repeated } = firstOfEach(fit);
    skipped.push(...repeated.map(({ line }) => ({ line, reason: REPEATED })));

    let imported = 0;
    const refused: FitLine[] = [];
    for (let start = 0; start < first.length; start += IMPORT_CHUNK_ROWS) {
      const chunk = first.slice(start, start + IMPORT_CHUNK_ROWS);
      const ids = await this.supporters.insertImported(orgId, chunk.map(({ supporter }) => supporter));
      const added = chunk.flatMap((line, index) => (ids[index] ? [{ line, supporterId: ids[index] }] : []));
      await this.consents.append(added.flatMap(({ line, supporterId }) => importConsents(orgId, supporterId, line.row, channelsOf(line.row))));
      imported += added.length;
      refused.push(...chunk.filter((_, index) => !ids[index]));
    }
    const settled = await this.settleKnown(orgId, refused);
    imported += settled.imported;
    skipped.push(...settled.skipped);

    skipped.sort((a, b) => a.line - b.line);
    this.logger.log({ orgId, rows: lines.length, imported, skipped: skipped.length, ms: Date.now() - started }, 'supporters imported');
    return { imported, skipped };
  }

  /**
   * The join page's check of each push endpoint (https on a public address,
   * or the local push service). Each host is resolved once per import: a
   * list's subscriptions share a handful of push services.
   */
  private async withSendablePush(lines: { line: number; row: ImportRow }[]): Promise<(FitLine | Skipped)[]> {
    const resolved = new Map<string, Promise<string[]>>();
    const lookup = (host: string) => {
      let addresses = resolved.get(host);
      if (!addresses) resolved.set(host, (addresses = this.outbound.lookup(host)));
      return addresses;
    };
    return Promise.all(
      lines.map(async ({ line, row }): Promise<FitLine | Skipped> => {
        const { email, push, phone, language, topics } = row;
        const contacts = { ...(email ? { email } : {}), ...(phone ? { sms: channels.sms.stored(phone) } : {}) };
        if (!push) return { line, row, supporter: { contacts, language, topics } };
        const verdict = await this.outbound.checkPushEndpoint(push.endpoint, { lookup });
        if (!verdict.ok) return { line, reason: `push_endpoint ${verdict.reason.replace(/^push endpoint /, '')}` };
        return { line, row, supporter: { contacts: { ...contacts, push: channels.push.stored(push) }, language, topics } };
      }),
    );
  }

  /**
   * Rows the unique keys refused: their address, subscription or number is
   * on the list already. A pending address becomes active (its email channel
   * only; a subscription or number in the same row is not merged into it);
   * every other row is skipped with what stands in its way.
   */
  private async settleKnown(orgId: string, lines: FitLine[]): Promise<{ imported: number; skipped: Skipped[] }> {
    if (lines.length === 0) return { imported: 0, skipped: [] };
    const byEmail = await this.supporters.findByContacts(orgId, 'email', lines.flatMap(({ supporter }) => (supporter.contacts.email ? [supporter.contacts.email] : [])));
    // A subscription matters only where the row's address is not on the list, or it has none.
    const pushes = lines.flatMap(({ supporter: { contacts: { email, push } } }) => (push && !(email && byEmail.has(email)) ? [push] : []));
    const phones = lines.flatMap(({ supporter: { contacts: { email, sms } } }) => (sms && !(email && byEmail.has(email)) ? [sms] : []));
    const known: KnownSupporters = {
      byEmail,
      byEndpointHash: await this.supporters.findByContacts(orgId, 'push', pushes),
      byPhone: await this.supporters.findByContacts(orgId, 'sms', phones),
    };
    const skipped: Skipped[] = [];
    const pending: { line: FitLine; supporterId: Types.ObjectId }[] = [];
    for (const line of lines) {
      const verdict = verdictOnKnown(line.supporter, known);
      if ('pending' in verdict) pending.push({ line, supporterId: verdict.pending });
      else skipped.push({ line: line.line, reason: verdict.reason });
    }
    await this.supporters.activate(orgId, pending.map(({ supporterId }) => supporterId), 'email', 'pending');
    await this.consents.append(pending.flatMap(({ line, supporterId }) => importConsents(orgId, supporterId, line.row, ['email'])));
    return { imported: pending.length, skipped };
  }
}

/** The supporter to activate when the row's address waits for its confirmation; otherwise why the row is skipped. */
function verdictOnKnown({ contacts: { email, push, sms } }: ImportedSupporter, known: KnownSupporters): { pending: Types.ObjectId } | { reason: string } {
  const byEmail = email ? known.byEmail.get(email) : undefined;
  const emailState = byEmail?.contacts?.email?.state;
  if (byEmail && emailState === 'pending') return { pending: byEmail._id };
  if (byEmail) return { reason: emailState === 'active' ? 'already subscribed' : `${emailState}: an import never resubscribes` };
  const byEndpoint = push ? known.byEndpointHash.get(push.endpointHash) : undefined;
  const pushState = byEndpoint?.contacts?.push?.state;
  if (byEndpoint && (email || sms)) return { reason: 'push_endpoint belongs to another supporter already on the list; the row was not imported' };
  if (byEndpoint) return { reason: pushState === 'active' ? 'already subscribed' : `${pushState}: an import never resubscribes` };
  const byPhone = sms ? known.byPhone.get(sms) : undefined;
  const smsState = byPhone?.contacts?.sms?.state;
  if (byPhone && (email || push)) return { reason: `${PHONE_COLUMN} belongs to another supporter already on the list; the row was not imported` };
  if (byPhone && smsState === 'pending') return { reason: `${PHONE_COLUMN} is already on the list, waiting for its owner's code` };
  if (byPhone) return { reason: smsState === 'active' ? 'already subscribed' : `${smsState}: an import never resubscribes` };
  return { reason: REPEATED };
}

/** The first row of each address, subscription and number goes on; a later one naming any of them again is a repeat. */
function firstOfEach(lines: FitLine[]): { first: FitLine[]; repeated: FitLine[] } {
  const emails = new Set<string>();
  const endpoints = new Set<string>();
  const phones = new Set<string>();
  const first: FitLine[] = [];
  const repeated: FitLine[] = [];
  for (const line of lines) {
    const { email, push, sms } = line.supporter.contacts;
    if ((email && emails.has(email)) || (push && endpoints.has(push.endpointHash)) || (sms && phones.has(sms))) {
      repeated.push(line);
      continue;
    }
    if (email) emails.add(email);
    if (push) endpoints.add(push.endpointHash);
    if (sms) phones.add(sms);
    first.push(line);
  }
  return { first, repeated };
}

function channelsOf(row: ImportRow): DeliveryChannel[] {
  return [...(row.email ? (['email'] as const) : []), ...(row.push ? (['push'] as const) : []), ...(row.phone ? (['sms'] as const) : [])];
}

/**
 * One record per channel the row brings, as join records one per channel given: the organisation's evidence,
 * `imported`. On SMS it is what join's `granted` is, the number's code still to come (its own `confirmed`).
 */
function importConsents(orgId: string, supporterId: Types.ObjectId, row: ImportRow, channels: DeliveryChannel[]): Consent[] {
  return channels.map((channel) => ({
    supporterId: supporterId.toHexString(),
    orgId,
    channel,
    action: 'imported',
    method: 'import',
    at: row.consentAt,
    source: row.consentSource,
  }));
}
