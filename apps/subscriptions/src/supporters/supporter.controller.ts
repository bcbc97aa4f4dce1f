import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  supporterRequests,
  supporterRpc,
  type ConfirmEmailResultView,
  type ErasureView,
  type ExportPageView,
  type ImportResultView,
  type JoinResultView,
  type PreferencesView,
  type PublicOrganisationView,
  type PushRenewedView,
  type SupporterCountsView,
  type SupporterDataView,
  type UnsubscribeResultView,
} from '@clarion/contracts';
import { parseInput } from '@clarion/errors';
import { JoinService } from './join.service';
import { PreferencesService } from './preferences.service';
import { PushRenewalService } from './push-renewal.service';
import { SupporterAdminService } from './supporter-admin.service';
import { SupporterImportService } from './supporter-import.service';
import { SupporterRightsService } from './supporter-rights.service';

@Controller()
export class SupporterController {
  constructor(
    private readonly joining: JoinService,
    private readonly preferences: PreferencesService,
    private readonly imports: SupporterImportService,
    private readonly admin: SupporterAdminService,
    private readonly rights: SupporterRightsService,
    private readonly pushRenewals: PushRenewalService,
  ) {}

  @MessagePattern(supporterRpc.publicOrganisation)
  publicOrganisation(@Payload() payload: unknown): Promise<PublicOrganisationView> {
    return this.joining.publicOrganisation(parseInput(supporterRequests.publicOrganisation, payload));
  }

  @MessagePattern(supporterRpc.join)
  join(@Payload() payload: unknown): Promise<JoinResultView> {
    return this.joining.join(parseInput(supporterRequests.join, payload));
  }

  @MessagePattern(supporterRpc.confirmEmail)
  confirmEmail(@Payload() payload: unknown): Promise<ConfirmEmailResultView> {
    return this.joining.confirmEmail(parseInput(supporterRequests.confirmEmail, payload));
  }

  @MessagePattern(supporterRpc.unsubscribe)
  unsubscribe(@Payload() payload: unknown): Promise<UnsubscribeResultView> {
    return this.preferences.unsubscribe(parseInput(supporterRequests.unsubscribe, payload));
  }

  @MessagePattern(supporterRpc.getPreferences)
  getPreferences(@Payload() payload: unknown): Promise<PreferencesView> {
    return this.preferences.get(parseInput(supporterRequests.getPreferences, payload));
  }

  @MessagePattern(supporterRpc.updatePreferences)
  updatePreferences(@Payload() payload: unknown): Promise<PreferencesView> {
    return this.preferences.update(parseInput(supporterRequests.updatePreferences, payload));
  }

  @MessagePattern(supporterRpc.importCsv)
  importCsv(@Payload() payload: unknown): Promise<ImportResultView> {
    return this.imports.importCsv(parseInput(supporterRequests.importCsv, payload));
  }

  @MessagePattern(supporterRpc.exportPage)
  exportPage(@Payload() payload: unknown): Promise<ExportPageView> {
    return this.admin.exportPage(parseInput(supporterRequests.exportPage, payload));
  }

  @MessagePattern(supporterRpc.counts)
  counts(@Payload() payload: unknown): Promise<SupporterCountsView> {
    return this.admin.counts(parseInput(supporterRequests.counts, payload));
  }

  @MessagePattern(supporterRpc.exportSupporter)
  exportSupporter(@Payload() payload: unknown): Promise<SupporterDataView> {
    return this.rights.exportSupporter(parseInput(supporterRequests.exportSupporter, payload));
  }

  @MessagePattern(supporterRpc.eraseSupporter)
  eraseSupporter(@Payload() payload: unknown): Promise<ErasureView> {
    return this.rights.eraseSupporter(parseInput(supporterRequests.eraseSupporter, payload));
  }

  @MessagePattern(supporterRpc.renewPush)
  renewPush(@Payload() payload: unknown): Promise<PushRenewedView> {
    return this.pushRenewals.renew(parseInput(supporterRequests.renewPush, payload));
  }
}
