import { Controller, Get, Headers, Res } from '@nestjs/common';
import type { Response } from 'express';
import { isAdmin } from '@clarion/contracts';
import { Forbidden } from '@clarion/errors';
import { TokenResolver } from '../auth/token-resolver';
import { NetworkHealthService, type NetworkHealth } from './network-health.service';

/**
 * Anyone may ask whether Clarion is up; only the network admin may see
 * what it is made of. The details name internal addresses (the NATS
 * server, each service's database), which an attacker would map first.
 */
@Controller('health')
export class GatewayHealthController {
  constructor(
    private readonly network: NetworkHealthService,
    private readonly tokens: TokenResolver,
  ) {}

  /**
   * Up or down, 503 when any part is down. With an admin's token: every
   * service, NATS and each database, naming the part that is down. A token
   * that is not an admin's is refused rather than answered with less, so a
   * mistake shows.
   */
  @Get()
  async whole(@Headers('authorization') authorization: string | undefined, @Res({ passthrough: true }) res: Response): Promise<NetworkHealth | { status: NetworkHealth['status'] }> {
    if (authorization !== undefined && !isAdmin(await this.tokens.resolve(authorization))) {
      throw new Forbidden('the details of /health are for the network admin; ask without a token for up or down');
    }
    const report = await this.network.report();
    if (report.status !== 'up') res.status(503);
    return authorization === undefined ? { status: report.status } : report;
  }

  @Get('live')
  live() {
    return { status: 'up' };
  }

  /** The gateway can serve when its NATS link is up; the services' state is reported by /health. */
  @Get('ready')
  async ready(@Res({ passthrough: true }) res: Response) {
    const { gateway } = await this.network.report();
    if (gateway.nats.status !== 'up') res.status(503);
    return { status: gateway.nats.status };
  }
}
