import { Controller } from '@nestjs/common';
import {
  supporterRpc,
  type ConfirmEmailResultView,
  type ExportPageView,
  type ImportResultView,
  type JoinResultView,
  type PreferencesView,
  type PublicOrganisationView,
  type SupporterCountsView,
  type UnsubscribeResultView,
  type ValidRequestOf,
} from '@clarion/contracts';
import { RequestHandler } from '@clarion/messaging';
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

  @RequestHandler(supporterRpc.publicOrganisation)
  publicOrganisation(request: ValidRequestOf<typeof supporterRpc.publicOrganisation>): Promise<PublicOrganisationView> {
    return this.joining.publicOrganisation(request);
  }

  @RequestHandler(supporterRpc.join)
  join(request: ValidRequestOf<typeof supporterRpc.join>): Promise<JoinResultView> {
    return this.joining.join(request);
  }

  @RequestHandler(supporterRpc.confirmEmail)
  confirmEmail(request: ValidRequestOf<typeof supporterRpc.confirmEmail>): Promise<ConfirmEmailResultView> {
    return this.joining.confirmEmail(request);
  }

  @RequestHandler(supporterRpc.unsubscribe)
  unsubscribe(request: ValidRequestOf<typeof supporterRpc.unsubscribe>): Promise<UnsubscribeResultView> {
    return this.preferences.unsubscribe(request);
  }

  @RequestHandler(supporterRpc.getPreferences)
  getPreferences(request: ValidRequestOf<typeof supporterRpc.getPreferences>): Promise<PreferencesView> {
    return this.preferences.get(request);
  }

  @RequestHandler(supporterRpc.updatePreferences)
  updatePreferences(request: ValidRequestOf<typeof supporterRpc.updatePreferences>): Promise<PreferencesView> {
    return this.preferences.update(request);
  }

  @RequestHandler(supporterRpc.importCsv)
  importCsv(request: ValidRequestOf<typeof supporterRpc.importCsv>): Promise<ImportResultView> {
    return this.imports.importCsv(request);
  }

  @RequestHandler(supporterRpc.exportPage)
  exportPage(request: ValidRequestOf<typeof supporterRpc.exportPage>): Promise<ExportPageView> {
    return this.admin.exportPage(request);
  }

  @RequestHandler(supporterRpc.counts)
  counts(request: ValidRequestOf<typeof supporterRpc.counts>): Promise<SupporterCountsView> {
    return this.admin.counts(request);
  }
}
