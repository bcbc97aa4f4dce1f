import { Controller } from '@nestjs/common';
import {
  supporterRpc,
  type ConfirmCodeResultView,
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
  type SupporterSearchView,
  type UnsubscribeResultView,
  type ValidRequestOf,
} from '@clarion/contracts';
import { RequestHandler } from '@clarion/messaging';
import { ChannelRepliesService } from './channel-replies.service';
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
    private readonly replies: ChannelRepliesService,
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

  @RequestHandler(supporterRpc.confirmCode)
  confirmCode(request: ValidRequestOf<typeof supporterRpc.confirmCode>): Promise<ConfirmCodeResultView> {
    return this.joining.confirmCode(request);
  }

  @RequestHandler(supporterRpc.channelReply)
  channelReply(request: ValidRequestOf<typeof supporterRpc.channelReply>): Promise<{ moved: number }> {
    return this.replies.reply(request);
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

  @RequestHandler(supporterRpc.search)
  search(request: ValidRequestOf<typeof supporterRpc.search>): Promise<SupporterSearchView> {
    return this.admin.search(request);
  }

  @RequestHandler(supporterRpc.counts)
  counts(request: ValidRequestOf<typeof supporterRpc.counts>): Promise<SupporterCountsView> {
    return this.admin.counts(request);
  }

  @RequestHandler(supporterRpc.exportSupporter)
  exportSupporter(request: ValidRequestOf<typeof supporterRpc.exportSupporter>): Promise<SupporterDataView> {
    return this.rights.exportSupporter(request);
  }

  @RequestHandler(supporterRpc.eraseSupporter)
  eraseSupporter(request: ValidRequestOf<typeof supporterRpc.eraseSupporter>): Promise<ErasureView> {
    return this.rights.eraseSupporter(request);
  }

  @RequestHandler(supporterRpc.renewPush)
  renewPush(request: ValidRequestOf<typeof supporterRpc.renewPush>): Promise<PushRenewedView> {
    return this.pushRenewals.renew(request);
  }
}
