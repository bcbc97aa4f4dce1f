import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { alertRequests, alertRpc, type AlertView } from '@clarion/contracts';
import { parseInput } from '@clarion/errors';
import { AlertService } from './alert.service';

/** The `alerts.alerts.*` requests: validate the payload, hand it to the service. */
@Controller()
export class AlertController {
  constructor(private readonly alerts: AlertService) {}

  @MessagePattern(alertRpc.create)
  create(@Payload() payload: unknown): Promise<AlertView> {
    return this.alerts.create(parseInput(alertRequests.create, payload));
  }

  @MessagePattern(alertRpc.list)
  list(@Payload() payload: unknown): Promise<AlertView[]> {
    return this.alerts.list(parseInput(alertRequests.list, payload));
  }

  @MessagePattern(alertRpc.get)
  get(@Payload() payload: unknown): Promise<AlertView> {
    return this.alerts.get(parseInput(alertRequests.get, payload));
  }

  @MessagePattern(alertRpc.update)
  update(@Payload() payload: unknown): Promise<AlertView> {
    return this.alerts.update(parseInput(alertRequests.update, payload));
  }

  @MessagePattern(alertRpc.approve)
  approve(@Payload() payload: unknown): Promise<AlertView> {
    return this.alerts.approve(parseInput(alertRequests.approve, payload));
  }

  @MessagePattern(alertRpc.publish)
  publish(@Payload() payload: unknown): Promise<AlertView> {
    return this.alerts.publish(parseInput(alertRequests.publish, payload));
  }

  @MessagePattern(alertRpc.cancel)
  cancel(@Payload() payload: unknown): Promise<AlertView> {
    return this.alerts.cancel(parseInput(alertRequests.cancel, payload));
  }
}
