import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import { DEFAULT_OPT_IN_RULES, SmsOptInCodes, type CodeCheck, type IssuedCode } from '@clarion/channels';
import type { SubscriptionsConfig } from '@clarion/config';
import type { DeliveryChannel } from '@clarion/contracts';
import { deriveKey } from '@clarion/security';
import { SERVICE_CONFIG } from '@clarion/service-kit';
import { OptInCodeRepository } from './opt-in-code.repository';

const SWEEP_INTERVAL_MS = 60 * 60_000;

/**
 * The double opt-in codes of every channel that declares `optIn: { by: 'code' }` (SMS), kept in
 * `opt_in_codes` under a key derived from SECRET_KEY for this purpose: neither the contact nor the code
 * is stored. Expired codes are swept hourly (FerretDB 1.24 has no TTL index); a read ignores them anyway.
 */
@Injectable()
export class CodeOptIn implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(CodeOptIn.name);
  private readonly secret: Buffer;
  private readonly codes: SmsOptInCodes;
  private timer?: NodeJS.Timeout;
  readonly expiresInMinutes = Math.round(DEFAULT_OPT_IN_RULES.ttlMs / 60_000);

  constructor(
    private readonly store: OptInCodeRepository,
    @Inject(SERVICE_CONFIG) config: SubscriptionsConfig,
  ) {
    this.secret = deriveKey(config.SECRET_KEY, 'opt-in-codes');
    this.codes = new SmsOptInCodes(store, { secret: this.secret, ...DEFAULT_OPT_IN_RULES });
  }

  /** A new code for the contact, or none when one went to it less than a minute ago. */
  issue(orgId: string, channel: DeliveryChannel, contactKey: string): Promise<IssuedCode> {
    return this.codes.issue(this.keyOf(orgId, channel, contactKey));
  }

  check(orgId: string, channel: DeliveryChannel, contactKey: string, given: string): Promise<CodeCheck> {
    return this.codes.check(this.keyOf(orgId, channel, contactKey), given);
  }

  /** Erasure: the contact's pending code goes with the supporter. */
  forget(orgId: string, channel: DeliveryChannel, contactKey: string): Promise<void> {
    return this.store.delete(this.keyOf(orgId, channel, contactKey));
  }

  onApplicationBootstrap(): void {
    this.sweep();
    this.timer = setInterval(() => this.sweep(), SWEEP_INTERVAL_MS);
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  private keyOf(orgId: string, channel: DeliveryChannel, contactKey: string): string {
    return createHmac('sha256', this.secret).update(`key\n${orgId}\n${channel}\n${contactKey}`).digest('base64url');
  }

  private sweep(): void {
    this.store.deleteExpired(new Date()).catch((error: unknown) => this.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'opt-in code sweep failed'));
  }
}
