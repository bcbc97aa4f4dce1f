import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import { NetworkHealthService } from './network-health.service';

@Controller('health')
export class GatewayHealthController {
  constructor(private readonly network: NetworkHealthService) {}

  /** Every service, NATS and each database; 503 when any part is down. */
  @Get()
  async whole(@Res({ passthrough: true }) res: Response): Promise<unknown> {
    const report = await this.network.report();
    // The full report either way: a 503 that names the part that is down is the point of this endpoint.
    if (report.status !== 'up') res.status(503);
    return report;
  }

  @Get('live')
  live() {
    return { status: 'up' };
  }

  /** The gateway can serve when its NATS link is up; the services' state is reported by /health. */
  @Get('ready')
  async ready(@Res({ passthrough: true }) res: Response) {
    const report = await this.network.report();
    if (report.gateway.nats.status !== 'up') res.status(503);
    return report.gateway;
  }
}
