import { Controller, Get, Param, Post, Query, Req, Res, UseFilters, UseInterceptors } from '@nestjs/common';
import { NoFilesInterceptor } from '@nestjs/platform-express';
import type { Request, Response } from 'express';
import { AlertLandingService } from './alert-landing.service';
import { JoinService } from './join.service';
import { respond, sendAsset } from './page-response';
import { PublicErrorFilter } from './public-error.filter';
import { SupporterLinksService } from './supporter-links.service';

/** Supporters' pages: no login, server-rendered, working without cookies or JavaScript. */
@Controller()
@UseFilters(PublicErrorFilter)
export class PublicPagesController {
  constructor(
    private readonly joining: JoinService,
    private readonly supporterLinks: SupporterLinksService,
    private readonly alerts: AlertLandingService,
  ) {}

  @Get('join/confirm/:token')
  async confirm(@Param('token') token: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    respond(res, await this.joining.confirm(token, req));
  }

  @Get('join/:slug')
  async joinForm(@Param('slug') slug: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    respond(res, await this.joining.form(slug, req));
  }

  @Post('join/:slug')
  async join(@Param('slug') slug: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    respond(res, await this.joining.join(slug, req));
  }

  /** The code texted to a number that joined (docs/decisions/0037). */
  @Post('join/:slug/code')
  async confirmCode(@Param('slug') slug: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    respond(res, await this.joining.confirmCode(slug, req));
  }

  @Get('u/:token')
  async askUnsubscribe(@Param('token') token: string, @Res() res: Response): Promise<void> {
    respond(res, await this.supporterLinks.askUnsubscribe(token));
  }

  /**
   * RFC 8058 one-click: mail clients POST `List-Unsubscribe=One-Click` as
   * multipart/form-data (what the RFC says they SHOULD send) or urlencoded;
   * multipart is read here, text fields only and a few small ones.
   */
  @Post('u/:token')
  @UseInterceptors(NoFilesInterceptor({ limits: { files: 0, fields: 5, parts: 5, fieldSize: 1_000, fieldNameSize: 100 } }))
  async unsubscribe(@Param('token') token: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    respond(res, await this.supporterLinks.unsubscribe(token, req));
  }

  @Get('p/:token')
  async preferences(@Param('token') token: string, @Res() res: Response): Promise<void> {
    respond(res, await this.supporterLinks.preferences(token));
  }

  @Post('p/:token')
  async savePreferences(@Param('token') token: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    respond(res, await this.supporterLinks.savePreferences(token, req));
  }

  @Get('p/:token/export')
  async exportData(@Param('token') token: string, @Res() res: Response): Promise<void> {
    respond(res, await this.supporterLinks.exportData(token));
  }

  @Get('p/:token/erase')
  async askErase(@Param('token') token: string, @Res() res: Response): Promise<void> {
    respond(res, await this.supporterLinks.askErase(token));
  }

  @Post('p/:token/erase')
  async erase(@Param('token') token: string, @Res() res: Response): Promise<void> {
    respond(res, await this.supporterLinks.erase(token));
  }

  @Get('join/:slug/manifest.webmanifest')
  async manifest(@Param('slug') slug: string, @Res() res: Response): Promise<void> {
    sendAsset(res, 'application/manifest+json; charset=utf-8', JSON.stringify(await this.joining.manifest(slug)));
  }

  @Get('join/:slug/icon.svg')
  async icon(@Param('slug') slug: string, @Res() res: Response): Promise<void> {
    sendAsset(res, 'image/svg+xml; charset=utf-8', await this.joining.icon(slug));
  }

  /** The service worker's `pushsubscriptionchange`: the browser's new subscription, proven by its old one. */
  @Post('join/:slug/push/renew')
  async renewPush(@Param('slug') slug: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    respond(res, await this.joining.renewPush(slug, req));
  }

  @Get('a/:relayId')
  async alert(@Param('relayId') relayId: string, @Query('l') language: unknown, @Res() res: Response): Promise<void> {
    respond(res, await this.alerts.landing(relayId, language));
  }

  @Get('c/:token')
  async click(@Param('token') token: string, @Res() res: Response): Promise<void> {
    respond(res, await this.alerts.click(token));
  }
}
