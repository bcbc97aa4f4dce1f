import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { NetworkHealthService } from './network-health.service';

@Controller('health')
export class GatewayHealthController {
  constructor(private readonly network: NetworkHealthService) {}

  /** Every service, NATS and each database; 503 when any part is down. */
  @Get()
  async whole(): Promise<unknown> {
    const report = await this.network.report();
    if (report.status !== 'up') throw new ServiceUnavailableException(report);
    return report;
  }

  @Get('live')
  live() {
    return { status: 'up' };
  }

  /** The gateway can serve when its NATS link is up; the services' state is reported by /health. */
  @Get('ready')
  async ready() {
    const report = await this.network.report();
    if (report.gateway.nats.status !== 'up') throw new ServiceUnavailableException(report.gateway);
    return report.gateway;
  }
}
