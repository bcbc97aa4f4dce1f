import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

/** One pending code, as stored: never the code itself. Times are ms since the epoch. */
export interface OptInCodeRecord {
  /** HMAC-SHA256 of the key and the code under the installation's secret: a leaked store does not give the codes away. */
  hash: string;
  issuedAt: number;
  expiresAt: number;
  attemptsLeft: number;
}

/**
 * Where pending codes live, one per key (an organisation and a number). To be
 * backed by subscriptions' database once the registry lands.
 */
export interface OptInCodeStore {
  find(key: string): Promise<OptInCodeRecord | undefined>;
  /** Replaces the key's code, if any. */
  save(key: string, record: OptInCodeRecord): Promise<void>;
  /**
   * In one atomic step: if the key has a code unexpired at `now` with attempts left, take one
   * attempt and return the record as it was; else undefined. (Mongo: findOneAndUpdate on
   * `{ key, expiresAt: { $gt: now }, attemptsLeft: { $gt: 0 } }` with `$inc: { attemptsLeft: -1 }`.)
   * Atomic, so guesses sent in parallel cannot share one attempt.
   */
  takeAttempt(key: string, now: number): Promise<OptInCodeRecord | undefined>;
  delete(key: string): Promise<void>;
}

export interface OptInCodeRules {
  /** A key derived from SECRET_KEY for this purpose alone. */
  secret: Buffer;
  ttlMs: number;
  maxAttempts: number;
  /** The least time between two codes for one key: each costs a text, and a flood of them is how SMS pumping pays. */
  resendAfterMs: number;
}

export const DEFAULT_OPT_IN_RULES: Omit<OptInCodeRules, 'secret'> = { ttlMs: 10 * 60_000, maxAttempts: 5, resendAfterMs: 60_000 };

export type IssuedCode = { ok: true; code: string; expiresAt: number } | { ok: false; retryAfterMs: number };
export type CodeCheck = 'confirmed' | 'wrong' | 'no-code' | 'malformed';

const CODE = /^\d{6}$/;

/**
 * Double opt-in by SMS: the join page sends a six-digit code to the number,
 * the supporter types it back. With 5 attempts per code, a guesser wins one
 * time in 200 000 per code it makes us send, and the resend interval bounds
 * how many it can make us send.
 */
export class SmsOptInCodes {
  constructor(
    private readonly store: OptInCodeStore,
    private readonly rules: OptInCodeRules,
    private readonly now: () => number = Date.now,
  ) {}

  /** A fresh code for `key` (replacing any earlier one), or how long until one may be sent. */
  async issue(key: string): Promise<IssuedCode> {
    const now = this.now();
    const earlier = await this.store.find(key);
    if (earlier && now - earlier.issuedAt < this.rules.resendAfterMs) return { ok: false, retryAfterMs: earlier.issuedAt + this.rules.resendAfterMs - now };
    const code = randomInt(0, 1_000_000).toString().padStart(6, '0');
    const expiresAt = now + this.rules.ttlMs;
    await this.store.save(key, { hash: this.hash(key, code), issuedAt: now, expiresAt, attemptsLeft: this.rules.maxAttempts });
    return { ok: true, code, expiresAt };
  }

  /** Spends one attempt; a right code is used up. `no-code`: none was sent, it expired, or its attempts are spent. */
  async check(key: string, given: string): Promise<CodeCheck> {
    const typed = given.replace(/[\s-]/g, '');
    // Not a possible code, so not a guess: no attempt is taken for a typo.
    if (!CODE.test(typed)) return 'malformed';
    const record = await this.store.takeAttempt(key, this.now());
    if (!record) return 'no-code';
    const expected = Buffer.from(record.hash, 'base64url');
    const actual = Buffer.from(this.hash(key, typed), 'base64url');
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return 'wrong';
    await this.store.delete(key);
    return 'confirmed';
  }

  private hash(key: string, code: string): string {
    return createHmac('sha256', this.rules.secret).update(`${key}\n${code}`).digest('base64url');
  }
}
