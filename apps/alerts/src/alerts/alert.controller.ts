import { Controller } from '@nestjs/common';
import { alertRpc, type AlertChangesView, type AlertPreviewContentView, type AlertView, type ValidRequestOf } from '@clarion/contracts';
import { RequestHandler } from '@clarion/messaging';
import { AlertService } from './alert.service';

/** The `alerts.alerts.*` requests: validate the payload, hand it to the service. */
@Controller()
export class AlertController {
  constructor(private readonly alerts: AlertService) {}

  @RequestHandler(alertRpc.create)
  create(request: ValidRequestOf<typeof alertRpc.create>): Promise<AlertView> {
    return this.alerts.create(request);
  }

  @RequestHandler(alertRpc.changes)
  changes(request: ValidRequestOf<typeof alertRpc.changes>): Promise<AlertChangesView> {
    return this.alerts.changes(request);
  }

  @RequestHandler(alertRpc.previewContent)
  preview(request: ValidRequestOf<typeof alertRpc.previewContent>): AlertPreviewContentView {
    return this.alerts.preview(request);
  }

  @RequestHandler(alertRpc.list)
  list(request: ValidRequestOf<typeof alertRpc.list>): Promise<AlertView[]> {
    return this.alerts.list(request);
  }

  @RequestHandler(alertRpc.get)
  get(request: ValidRequestOf<typeof alertRpc.get>): Promise<AlertView> {
    return this.alerts.get(request);
  }

  @RequestHandler(alertRpc.update)
  update(request: ValidRequestOf<typeof alertRpc.update>): Promise<AlertView> {
    return this.alerts.update(request);
  }

  @RequestHandler(alertRpc.approve)
  approve(request: ValidRequestOf<typeof alertRpc.approve>): Promise<AlertView> {
    return this.alerts.approve(request);
  }

  @RequestHandler(alertRpc.requestApproval)
  requestApproval(request: ValidRequestOf<typeof alertRpc.requestApproval>): Promise<AlertView> {
    return this.alerts.requestApproval(request);
  }

  @RequestHandler(alertRpc.publish)
  publish(request: ValidRequestOf<typeof alertRpc.publish>): Promise<AlertView> {
    return this.alerts.publish(request);
  }

  @RequestHandler(alertRpc.cancel)
  cancel(request: ValidRequestOf<typeof alertRpc.cancel>): Promise<AlertView> {
    return this.alerts.cancel(request);
  }
}
