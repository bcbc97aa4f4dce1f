import { createHash } from 'node:crypto';
import { Controller, Get, Inject, Param, Query, Req, Res, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';
import { capRpc, objectId } from '@clarion/contracts';
import { NotFound, Unauthenticated } from '@clarion/errors';
import { RpcClient } from '@clarion/messaging';
import type { GatewayConfig } from '@clarion/config';
import { GATEWAY_CONFIG } from '../gateway-config';
import { setPublicHeaders } from '../public/page-response';
import { PublicErrorFilter } from '../public/public-error.filter';
import { capAtomFeed, capDocument, type CapSource } from './cap-xml';

/** A feed token as the coalition's coordinator was given it (capf_ + 32 base64url characters); anything else is no token. */
const TOKEN = /^capf_[A-Za-z0-9_-]{32}$/;

/**
 * CAP 1.2 (docs/decisions/0028): each published alert's newest message
 * (Alert, Update or Cancel, referencing the earlier ones) at
 * `/cap/:coalitionId/alerts/:alertId.xml`, and the coalition's current alerts
 * as Atom at `/cap/:coalitionId/alerts.atom`. Public, or for holders of the
 * coalition's feed token (`?token=` for feed readers that cannot send
 * headers, or `Authorization: Bearer`), as the coalition chose.
 */
@Controller()
@UseFilters(PublicErrorFilter)
export class CapController {
  constructor(
    private readonly rpc: RpcClient,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  @Get('cap/:coalitionId/alerts.atom')
  async feed(@Param('coalitionId') coalitionId: string, @Query('token') token: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { source, usedToken } = await this.authorised(coalitionId, tokenOf(token, req));
    const { alerts } = await this.rpc.request(capRpc.alerts, { coalitionId });
    send(res, 'application/atom+xml; charset=utf-8', capAtomFeed(alerts, source, new Date(), usedToken));
  }

  @Get('cap/:coalitionId/alerts/:file')
  async document(@Param('coalitionId') coalitionId: string, @Param('file') file: string, @Query('token') token: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const alertId = /^([0-9a-f]{24})\.xml$/.exec(file)?.[1];
    if (!alertId) throw new NotFound('no such alert');
    const { source } = await this.authorised(coalitionId, tokenOf(token, req));
    const { alerts } = await this.rpc.request(capRpc.alerts, { coalitionId, alertId });
    // Another coalition's alert, a draft, or nothing: the same answer.
    if (alerts.length === 0) throw new NotFound('no such alert');
    send(res, 'application/cap+xml; charset=utf-8', capDocument(alerts[0], source));
  }

  /** An unknown coalition and a refused token answer alike where they can: 404 for the one, 401 for the other, never the data. */
  private async authorised(coalitionId: string, token: string | undefined): Promise<{ source: CapSource; usedToken?: string }> {
    if (!objectId.safeParse(coalitionId).success) throw new NotFound('no such feed');
    const tokenHash = token ? createHash('sha256').update(token).digest('hex') : undefined;
    const access = await this.rpc.request(capRpc.access, { coalitionId, ...(tokenHash ? { tokenHash } : {}) });
    if (!access.allowed) throw new Unauthenticated('this feed needs its token');
    return { source: { coalition: { id: coalitionId, name: access.name, slug: access.slug }, baseUrl: this.config.PUBLIC_BASE_URL }, usedToken: tokenHash ? token : undefined };
  }
}

function tokenOf(query: unknown, req: Request): string | undefined {
  const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
  const candidate = typeof query === 'string' ? query : bearer;
  return candidate && TOKEN.test(candidate) ? candidate : undefined;
}

function send(res: Response, contentType: string, body: string): void {
  setPublicHeaders(res);
  res.status(200).type(contentType).send(body);
}
