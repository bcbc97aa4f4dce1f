import { Controller, Get, HttpCode, ServiceUnavailableException } from '@nestjs/common';
import { ReadinessService } from './readiness.service';

/** `/health/live` answers without I/O (the process runs); `/health/ready` checks NATS and the database. */
@Controller('health')
export class HealthController {
  constructor(private readonly readiness: ReadinessService) {}

  @Get('live')
  @HttpCode(200)
  live() {
    return { status: 'up' };
  }

  @Get('ready')
  async ready() {
    const report = await this.readiness.report();
    if (report.status !== 'up') throw new ServiceUnavailableException(report);
    return report;
  }
}
