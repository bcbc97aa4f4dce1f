import { Injectable, Logger } from '@nestjs/common';
import type { Types } from 'mongoose';
import type { ImportResultView } from '@clarion/contracts';
import { PublicOrganisationService } from './public-organisation.service';
import { ConsentRepository } from './consent.repository';
import type { Consent } from './consent.schema';
import { readImportCsv, type ImportRow } from './import-rows';
import { assertMayManageSupporters } from './supporter-access';
import { SupporterRepository } from './supporter.repository';
import type { SupporterRequest } from './supporter.requests';
import { BULK_WRITE_CHUNK } from '@clarion/persistence';

/** One bulk write per chunk: no larger than FerretDB answers (see BULK_WRITE_CHUNK). */
const CHUNK_ROWS = BULK_WRITE_CHUNK;

type Skipped = ImportResultView['skipped'][number];
type FitLine = { line: number; row: ImportRow };

/**
 * An organisation's own list, brought in with the evidence of consent it
 * holds. Only rows with that evidence are imported, as active; an address
 * already on the list is never duplicated, and one that left (unsubscribed,
 * or suppressed after bounces) is never resubscribed.
 */
@Injectable()
export class SupporterImportService {
  private readonly logger = new Logger(SupporterImportService.name);

  constructor(
    private readonly organisations: PublicOrganisationService,
    private readonly supporters: SupporterRepository,
    private readonly consents: ConsentRepository,
  ) {}

  async importCsv({ actor, orgId, csv }: SupporterRequest<'importCsv'>): Promise<ImportResultView> {
    assertMayManageSupporters(actor, orgId);
    await this.organisations.findById(orgId);
    const lines = readImportCsv(csv, new Date());
    const skipped: Skipped[] = lines.flatMap((line) => (line.ok ? [] : [{ line: line.line, reason: line.reason }]));
    const fit: FitLine[] = lines.flatMap((line) => (line.ok ? [{ line: line.line, row: line.row }] : []));
    let imported = 0;
    for (let start = 0; start < fit.length; start += CHUNK_ROWS) {
      const chunk = await this.importChunk(orgId, fit.slice(start, start + CHUNK_ROWS));
      imported += chunk.imported;
      skipped.push(...chunk.skipped);
    }
    skipped.sort((a, b) => a.line - b.line);
    this.logger.log({ orgId, rows: lines.length, imported, skipped: skipped.length }, 'supporters imported');
    return { imported, skipped };
  }

  private async importChunk(orgId: string, lines: FitLine[]): Promise<{ imported: number; skipped: Skipped[] }> {
    const existing = await this.supporters.findByEmails(orgId, lines.map(({ row }) => row.email));
    const skipped: Skipped[] = [];
    const fresh: FitLine[] = [];
    const pending: { line: FitLine; supporterId: Types.ObjectId }[] = [];
    for (const line of lines) {
      const known = existing.get(line.row.email);
      if (!known) fresh.push(line);
      else if (known.emailState === 'pending') pending.push({ line, supporterId: known._id });
      else skipped.push({ line: line.line, reason: known.emailState === 'active' ? 'already subscribed' : `${known.emailState}: an import never resubscribes` });
    }

    const newIds = await this.supporters.insertImported(orgId, fresh.map(({ row }) => row));
    await this.supporters.activatePending(orgId, pending.map(({ supporterId }) => supporterId));

    const imported: { line: FitLine; supporterId: Types.ObjectId }[] = [...pending];
    fresh.forEach((line, index) => {
      const supporterId = newIds[index];
      if (supporterId) imported.push({ line, supporterId });
      else skipped.push({ line: line.line, reason: 'already on the list (added while importing, or repeated in the file)' });
    });
    await this.consents.append(imported.map(({ line, supporterId }) => importConsent(orgId, supporterId.toHexString(), line.row)));
    return { imported: imported.length, skipped };
  }
}

function importConsent(orgId: string, supporterId: string, row: ImportRow): Consent {
  return { supporterId, orgId, channel: 'email', action: 'imported', method: 'import', at: row.consentAt, source: row.consentSource };
}
