import { Controller, type Type } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import type { PingReply, ServiceHealth } from '@clarion/contracts';
import { ReadinessService } from './readiness.service';

/** The service's health and ping answered over NATS, for the gateway's aggregate `/health`. */
export function healthRpcController(service: string, subjects: { health: string; ping: string }): Type<unknown> {
  @Controller()
  class HealthRpcController {
    constructor(private readonly readiness: ReadinessService) {}

    @MessagePattern(subjects.health)
    health(): Promise<ServiceHealth> {
      return this.readiness.report();
    }

    @MessagePattern(subjects.ping)
    ping(@Payload() payload: unknown): PingReply {
      const echo = typeof payload === 'object' && payload && 'echo' in payload ? String(payload.echo).slice(0, 200) : '';
      return { service, echo, pid: process.pid };
    }
  }
  return HealthRpcController;
}
