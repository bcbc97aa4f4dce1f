import { Controller, type Type } from '@nestjs/common';
import { systemRpc, type PingReply, type ServiceHealth, type ValidRequestOf } from '@clarion/contracts';
import { RequestHandler } from '@clarion/messaging';
import { ReadinessService } from './readiness.service';

type Backend = Parameters<typeof systemRpc.health>[0];

/** The service's health and ping answered over NATS, for the gateway's aggregate `/health`. */
export function healthRpcController(service: Backend): Type<unknown> {
  const health = systemRpc.health(service);
  const ping = systemRpc.ping(service);

  @Controller()
  class HealthRpcController {
    constructor(private readonly readiness: ReadinessService) {}

    @RequestHandler(health)
    health(): Promise<ServiceHealth> {
      return this.readiness.report();
    }

    @RequestHandler(ping)
    ping({ echo }: ValidRequestOf<typeof ping>): PingReply {
      return { service, echo: echo ?? '', pid: process.pid };
    }
  }
  return HealthRpcController;
}
