import { Inject, Injectable, Logger } from '@nestjs/common';
import type { SubscriptionsConfig } from '@clarion/config';
import type { ResolvedSessionView, SessionSummaryView } from '@clarion/contracts';
import { Forbidden, Unauthenticated } from '@clarion/errors';
import { hashTokenSecret, newTokenSecret } from '@clarion/security';
import { SERVICE_CONFIG } from '@clarion/service-kit';
import { SUBSCRIPTIONS_CLOCK, type Clock } from '../common/clock';
import type { AccountRequest } from '../common/requests';
import { AccountRepository } from './account.repository';
import type { AccountRecord, SessionRecord } from './account.schema';
import { StaffMail } from './staff-mail';

/** A sign-in link is good for this long, and once. */
export const SIGN_IN_LINK_TTL_MS = 15 * 60_000;
/** At most this many open links per account, however many replicas are asked at once: a sign-in form cannot flood someone's mailbox. */
const MAX_OPEN_LINKS = 3;
/** A session's last-seen time is written at most this often (idle expiry needs no finer grain). */
const TOUCH_EVERY_MS = 60_000;

const unknownLink = () => new Unauthenticated('this sign-in link is used, expired or unknown: ask for a new one', 'token');
const noSession = () => new Unauthenticated('not signed in, or the session ended: sign in again', 'cookie');

/**
 * Magic-link sign-in and console sessions (docs/decisions/0025). Secrets are
 * made where they are handed out (links here, sessions by the gateway) and
 * only their sha256 is stored, as for API tokens.
 */
@Injectable()
export class SignInService {
  private readonly logger = new Logger(SignInService.name);

  constructor(
    private readonly accounts: AccountRepository,
    private readonly mail: StaffMail,
    @Inject(SERVICE_CONFIG) private readonly config: SubscriptionsConfig,
    @Inject(SUBSCRIPTIONS_CLOCK) private readonly now: Clock,
  ) {}

  /**
   * Answered before anything is looked up, so the answer and its timing are
   * the same whether or not the address has an account; the links go out
   * afterwards (a failure is logged, and the person asks again).
   */
  requestSignIn({ email }: AccountRequest<'requestSignIn'>): { sent: true } {
    setImmediate(() => void this.sendLinks(email).catch((error: Error) => this.logger.error({ err: error.message }, 'sign-in links not sent')));
    return { sent: true };
  }

  private async sendLinks(email: string): Promise<void> {
    for (const account of await this.accounts.findByEmail(email)) {
      const secret = newTokenSecret();
      if (!(await this.storeLink(account, secret, SIGN_IN_LINK_TTL_MS, { orWithoutSlot: false }))) {
        this.logger.warn({ accountId: account._id.toHexString() }, 'sign-in link not sent: enough links are open for this account');
        continue;
      }
      await this.mail.send(account, { kind: 'sign-in', token: secret }, hashTokenSecret(secret).slice(0, 16));
    }
  }

  /** A new single-use link an administrator's action made (an invitation, the first admin's); its secret is returned to be sent, and kept only hashed. */
  async issueLink(account: AccountRecord, ttlMs: number, secret = newTokenSecret()): Promise<string> {
    await this.storeLink(account, secret, ttlMs, { orWithoutSlot: true });
    return secret;
  }

  private storeLink(account: AccountRecord, secret: string, ttlMs: number, { orWithoutSlot }: { orWithoutSlot: boolean }): Promise<boolean> {
    const now = this.now();
    const link = { accountId: account._id.toHexString(), hash: hashTokenSecret(secret), expiresAt: new Date(now.getTime() + ttlMs) };
    return this.accounts.addLink(link, { now, slots: MAX_OPEN_LINKS, orWithoutSlot });
  }

  /** Uses the link (once) and opens a session whose secret the gateway made. */
  async openSession({ linkHash, sessionHash }: AccountRequest<'openSession'>): Promise<ResolvedSessionView> {
    const now = this.now();
    const link = await this.accounts.useLink(linkHash, now);
    if (!link) throw unknownLink();
    const account = await this.accounts.findById(link.accountId);
    if (!account) throw unknownLink();
    const session = await this.accounts.addSession({
      accountId: link.accountId,
      hash: sessionHash,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + this.config.SESSION_MAX_AGE_MS),
    });
    await this.accounts.recordSignIn(link.accountId, now);
    this.logger.log({ accountId: link.accountId, sessionId: session._id.toHexString() }, 'signed in');
    return resolved(account, session);
  }

  /** The gateway's check of a cookie: live (not revoked, not past its absolute end, not idle too long). */
  async resolveSession({ sessionHash }: AccountRequest<'resolveSession'>): Promise<ResolvedSessionView> {
    const now = this.now();
    const session = await this.accounts.findLiveSession(sessionHash, now);
    if (!session || now.getTime() - session.lastSeenAt.getTime() > this.config.SESSION_IDLE_MS) throw noSession();
    const account = await this.accounts.findById(session.accountId);
    if (!account) throw noSession();
    if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) await this.accounts.touchSession(session._id.toHexString(), now);
    return resolved(account, session);
  }

  async closeSession({ sessionHash }: AccountRequest<'closeSession'>): Promise<{ closed: boolean }> {
    return { closed: await this.accounts.revokeSession({ hash: sessionHash }, this.now()) };
  }

  async listSessions({ actor }: AccountRequest<'listSessions'>): Promise<Omit<SessionSummaryView, 'current'>[]> {
    if (!actor.sessionId) throw new Forbidden('sessions belong to people signed in to a console, not to API tokens');
    return (await this.accounts.sessionsOf(actor.tokenId, this.now())).map(sessionSummary);
  }

  /** A person ends one of their own sessions (another device); someone else's is not found. */
  async revokeSession({ actor, sessionId }: AccountRequest<'revokeSession'>): Promise<{ closed: boolean }> {
    if (!actor.sessionId) throw new Forbidden('sessions belong to people signed in to a console, not to API tokens');
    return { closed: await this.accounts.revokeSession({ sessionId, accountId: actor.tokenId }, this.now()) };
  }
}

function resolved(account: AccountRecord, session: SessionRecord): ResolvedSessionView {
  const accountId = account._id.toHexString();
  const sessionId = session._id.toHexString();
  return {
    // The same shape as an API token's principal: every authorisation applies unchanged.
    principal: { tokenId: accountId, name: account.name, grant: account.grant, sessionId },
    sessionId,
    account: { accountId, email: account.email, name: account.name, grant: account.grant },
    expiresAt: session.expiresAt.toISOString(),
  };
}

const sessionSummary = (session: SessionRecord): Omit<SessionSummaryView, 'current'> => ({
  sessionId: session._id.toHexString(),
  createdAt: session.createdAt.toISOString(),
  lastSeenAt: session.lastSeenAt.toISOString(),
  expiresAt: session.expiresAt.toISOString(),
});
