import { DEFAULT_OPT_IN_RULES, SmsOptInCodes, type OptInCodeRecord, type OptInCodeStore } from './sms-opt-in';

/** The store contract in memory: takeAttempt is one synchronous step, as the database's findOneAndUpdate is one operation. */
class MemoryStore implements OptInCodeStore {
  readonly records = new Map<string, OptInCodeRecord>();
  async find(key: string) {
    return this.records.get(key);
  }
  async save(key: string, record: OptInCodeRecord) {
    this.records.set(key, { ...record });
  }
  async takeAttempt(key: string, now: number) {
    const record = this.records.get(key);
    if (!record || record.expiresAt <= now || record.attemptsLeft <= 0) return undefined;
    const before = { ...record };
    record.attemptsLeft -= 1;
    return before;
  }
  async delete(key: string) {
    this.records.delete(key);
  }
}

const KEY = 'org-1\n+33612345678';

describe('SmsOptInCodes', () => {
  let clock: number;
  let store: MemoryStore;
  let codes: SmsOptInCodes;

  beforeEach(() => {
    clock = Date.parse('2030-01-01T00:00:00Z');
    store = new MemoryStore();
    codes = new SmsOptInCodes(store, { ...DEFAULT_OPT_IN_RULES, secret: Buffer.alloc(32, 7) }, () => clock);
  });

  async function issued(key = KEY): Promise<string> {
    const result = await codes.issue(key);
    if (!result.ok) throw new Error('no code issued');
    return result.code;
  }

  function wrongCode(code: string): string {
    return ((Number(code) + 1) % 1_000_000).toString().padStart(6, '0');
  }

  it('makes a six-digit code, keeps only its keyed hash, and confirms it once', async () => {
    const code = await issued();
    expect(code).toMatch(/^\d{6}$/);
    const stored = JSON.stringify([...store.records]);
    expect(stored).not.toContain(code);
    expect(store.records.get(KEY)).toMatchObject({ attemptsLeft: 5, expiresAt: clock + 10 * 60_000 });
    expect(await codes.check(KEY, code)).toBe('confirmed');
    expect(await codes.check(KEY, code)).toBe('no-code');
  });

  it('takes the code as people type it, with spaces or a dash', async () => {
    const code = await issued();
    expect(await codes.check(KEY, ` ${code.slice(0, 3)} ${code.slice(3)} `)).toBe('confirmed');
  });

  it('refuses a code after five wrong guesses, even the right one', async () => {
    const code = await issued();
    for (let i = 0; i < 5; i++) expect(await codes.check(KEY, wrongCode(code))).toBe('wrong');
    expect(await codes.check(KEY, code)).toBe('no-code');
  });

  it('counts guesses sent all at once one by one', async () => {
    const code = await issued();
    const guesses = await Promise.all(Array.from({ length: 20 }, () => codes.check(KEY, wrongCode(code))));
    expect(guesses.filter((outcome) => outcome === 'wrong')).toHaveLength(5);
    expect(await codes.check(KEY, code)).toBe('no-code');
  });

  it('takes no attempt for something that cannot be a code', async () => {
    const code = await issued();
    for (const typo of ['12345', '1234567', 'abcdef', '', '１２３４５６']) expect(await codes.check(KEY, typo)).toBe('malformed');
    expect(await codes.check(KEY, code)).toBe('confirmed');
  });

  it('refuses a code once it has expired', async () => {
    const code = await issued();
    clock += 10 * 60_000;
    expect(await codes.check(KEY, code)).toBe('no-code');
  });

  it('refuses a code made for another organisation or number', async () => {
    const code = await issued();
    expect(await codes.check('org-2\n+33612345678', code)).toBe('no-code');
    // The hash is bound to its key: a record copied under another key does not take the code.
    await store.save('org-1\n+33612345679', store.records.get(KEY)!);
    expect(await codes.check('org-1\n+33612345679', code)).toBe('wrong');
  });

  it('sends no second code within a minute, and the new one replaces the old', async () => {
    const first = await issued();
    clock += 20_000;
    expect(await codes.issue(KEY)).toEqual({ ok: false, retryAfterMs: 40_000 });
    clock += 40_000;
    const second = await issued();
    if (second !== first) expect(await codes.check(KEY, first)).toBe('wrong');
    expect(await codes.check(KEY, second)).toBe('confirmed');
  });
});
