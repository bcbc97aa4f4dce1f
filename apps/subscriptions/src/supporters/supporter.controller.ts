import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  supporterRequests,
  supporterRpc,
  type ConfirmEmailResultView,
  type ExportPageView,
  type ImportResultView,
  type JoinResultView,
  type PreferencesView,
  type PublicOrganisationView,
  type SupporterCountsView,
  type UnsubscribeResultView,
} from '@clarion/contracts';
import { parseInput } from '@clarion/errors';
import { JoinService } from './join.service';
import { PreferencesService } from './preferences.service';
import { SupporterAdminService } from './supporter-admin.service';
import { SupporterImportService } from './supporter-import.service';

@Controller()
export class SupporterController {
  constructor(
    private readonly joining: JoinService,
    private readonly preferences: PreferencesService,
    private readonly imports: SupporterImportService,
    private readonly admin: SupporterAdminService,
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
}
