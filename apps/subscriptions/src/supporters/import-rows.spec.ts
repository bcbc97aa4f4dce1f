import { Invalid } from '@clarion/errors';
import { checkRow, readImportCsv, type ImportFields } from './import-rows';

const now = new Date('2026-11-23T18:00:00Z');
const HEADER = 'email,language,topics,consent_at,consent_source';
const PUSH_HEADER = `${HEADER},push_endpoint,push_p256dh,push_auth`;
const P256DH = `B${'a'.repeat(86)}`;
const AUTH = 'c2VjcmV0LWF1dGgta2V5';
const push = { push_endpoint: 'https://push.example.org/wpush/v2/abc', push_p256dh: P256DH, push_auth: AUTH };
const fields = (overrides: ImportFields = {}): ImportFields => ({
  email: 'Ada@Example.org',
  language: 'sw',
  topics: 'civic-space; climate',
  consent_at: '2025-03-01T10:00:00Z',
  consent_source: 'petition form, March 2025',
  ...overrides,
});

describe('checkRow', () => {
  it('accepts a row with consent evidence, lowercasing the address and splitting topics on ;', () => {
    expect(checkRow(fields(), now)).toEqual({
      ok: true,
      row: {
        email: 'ada@example.org',
        language: 'sw',
        topics: ['civic-space', 'climate'],
        consentAt: new Date('2025-03-01T10:00:00Z'),
        consentSource: 'petition form, March 2025',
      },
    });
  });

  it('takes a plain date as consent_at, and no topics as none', () => {
    expect(checkRow(fields({ consent_at: '2025-03-01', topics: '' }), now)).toMatchObject({ ok: true, row: { topics: [], consentAt: new Date('2025-03-01') } });
  });

  it.each([
    ['no consent_at', fields({ consent_at: '' }), /no consent evidence/],
    ['no consent_source', fields({ consent_source: '' }), /no consent evidence/],
    ['consent in the future', fields({ consent_at: '2027-01-01T00:00:00Z' }), /consent_at is in the future/],
    ['a consent_at that is not a date', fields({ consent_at: 'last spring' }), /^consent_at must be an ISO 8601 date/],
    ['a bad address', fields({ email: 'not-an-address' }), /^email must be an email address/],
    ['an unknown language', fields({ language: 'english' }), /^language /],
    ['a bad topic', fields({ topics: 'Civic Space' }), /^topics /],
    ['a repeated topic', fields({ topics: 'climate;climate' }), /^topics must not repeat entries/],
  ])('refuses %s', (_case, row, reason) => {
    const verdict = checkRow(row, now);
    expect(verdict.ok).toBe(false);
    expect(!verdict.ok && verdict.reason).toMatch(reason);
  });
});

describe('checkRow with a push subscription', () => {
  it('takes a subscription with an address, or alone, validated as the join page validates it', () => {
    expect(checkRow(fields(push), now)).toMatchObject({
      ok: true,
      row: { email: 'ada@example.org', push: { endpoint: push.push_endpoint, keys: { p256dh: P256DH, auth: AUTH } }, topics: ['civic-space', 'climate'] },
    });
    const alone = checkRow(fields({ email: '', ...push }), now);
    expect(alone).toMatchObject({ ok: true, row: { push: { endpoint: push.push_endpoint } } });
    expect(alone.ok && 'email' in alone.row).toBe(false);
  });

  it('reads a key the organisation export guarded against spreadsheet formulas (a leading apostrophe before -)', () => {
    const dashed = `-${AUTH.slice(1)}`;
    expect(checkRow(fields({ ...push, push_auth: `'${dashed}` }), now)).toMatchObject({ ok: true, row: { push: { keys: { auth: dashed } } } });
    expect(checkRow(fields({ ...push, push_auth: `'${AUTH}` }), now).ok).toBe(false);
  });

  it.each([
    ['neither address nor subscription', fields({ email: '' }), /^email is missing: a row needs an email address, a push subscription .* or a phone number/],
    ['no auth secret', fields({ ...push, push_auth: '' }), /^push_auth is missing: push_endpoint, push_p256dh, push_auth go together/],
    ['only an endpoint', fields({ push_endpoint: push.push_endpoint }), /^push_p256dh is missing/],
    ['an endpoint that is not a URL', fields({ ...push, push_endpoint: 'somewhere' }), /^push_endpoint must be a URL/],
    ['a key that is not a P-256 key', fields({ ...push, push_p256dh: 'short' }), /^push_p256dh must be the base64url P-256 public key/],
    ['an auth secret that is not one', fields({ ...push, push_auth: 'not base64url!!!!!' }), /^push_auth must be the base64url 16-byte auth secret/],
    ['a bad address next to a good subscription', fields({ ...push, email: 'nope' }), /^email must be an email address/],
  ])('refuses %s, naming the column', (_case, row, reason) => {
    const verdict = checkRow(row, now);
    expect(verdict.ok).toBe(false);
    expect(!verdict.ok && verdict.reason).toMatch(reason);
  });
});

describe('readImportCsv', () => {
  it('checks every row and names the line it ends on, skipping blank lines', () => {
    const csv = [HEADER, 'a@example.org,en,,2025-01-01,form', '', 'b@example.org,en,,,', '"c@example.org",fr,"climate;civic-space",2025-01-02,"list, 2024"'].join('\n');
    expect(readImportCsv(csv, now)).toEqual([
      { line: 2, ok: true, row: expect.objectContaining({ email: 'a@example.org' }) },
      { line: 4, ok: false, reason: expect.stringMatching(/no consent evidence/) },
      { line: 5, ok: true, row: expect.objectContaining({ email: 'c@example.org', topics: ['climate', 'civic-space'], consentSource: 'list, 2024' }) },
    ]);
  });

  it('reads the columns in any order and any case, ignoring extra ones, and treats missing fields as empty', () => {
    const csv = ['Consent_Source,EMAIL,notes,language,topics,consent_at', 'form,a@example.org,vip,en,,2025-01-01', 'form,b@example.org'].join('\r\n');
    const [first, short] = readImportCsv(csv, now);
    expect(first).toMatchObject({ ok: true, row: { email: 'a@example.org', consentSource: 'form' } });
    expect(short).toMatchObject({ line: 3, ok: false, reason: expect.stringMatching(/^language /) });
  });

  it('reads the push columns, with or without an email column', () => {
    const row = `${push.push_endpoint},${P256DH},${AUTH}`;
    expect(readImportCsv([PUSH_HEADER, `a@example.org,en,,2025-01-01,form,${row}`, `,en,,2025-01-01,form,${row}`, 'b@example.org,en,,2025-01-01,form,,,'].join('\n'), now)).toEqual([
      { line: 2, ok: true, row: expect.objectContaining({ email: 'a@example.org', push: expect.objectContaining({ endpoint: push.push_endpoint }) }) },
      { line: 3, ok: true, row: expect.not.objectContaining({ email: expect.anything() }) },
      { line: 4, ok: true, row: expect.not.objectContaining({ push: expect.anything() }) },
    ]);
    const withoutEmail = ['language,topics,consent_at,consent_source,push_endpoint,push_p256dh,push_auth', `en,climate,2025-01-01,form,${row}`].join('\n');
    expect(readImportCsv(withoutEmail, now)).toEqual([{ line: 2, ok: true, row: expect.objectContaining({ topics: ['climate'] }) }]);
  });

  it('refuses a header with some push columns but not all, or with neither email nor push columns', () => {
    expect(() => readImportCsv(`${HEADER},push_endpoint\n`, now)).toThrow(/lacks push_p256dh, push_auth/);
    expect(() => readImportCsv('language,topics,consent_at,consent_source\n', now)).toThrow(/lacks email$/);
  });

  it('refuses a header without the required columns, and a file that is not CSV, before anything is imported', () => {
    expect(() => readImportCsv('email,language\na@example.org,en', now)).toThrow(Invalid);
    expect(() => readImportCsv('email,language\na@example.org,en', now)).toThrow(/lacks topics, consent_at, consent_source/);
    expect(() => readImportCsv(`${HEADER}\n"a@example.org,en,,2025-01-01,form`, now)).toThrow(/csv is not valid CSV/);
  });
});

describe('a phone column for SMS', () => {
  const FRANCE = { defaultRegion: 'FR', allowedRegions: [] } as const;
  const phoneReason = (phone: string, rules: Parameters<typeof checkRow>[2]) => {
    const verdict = checkRow(fields({ phone }), now, rules);
    return verdict.ok ? undefined : verdict.reason;
  };

  it('takes a mobile number under the SMS channel rules, in E.164, with an address or alone', () => {
    expect(checkRow(fields({ phone: '06 12 34 56 78' }), now, FRANCE)).toMatchObject({ ok: true, row: { email: 'ada@example.org', phone: '+33612345678' } });
    const alone = checkRow(fields({ email: '', phone: '+254 712 345 678' }), now, FRANCE);
    expect(alone).toMatchObject({ ok: true, row: { phone: '+254712345678' } });
    expect(alone.ok && 'email' in alone.row).toBe(false);
  });

  it('reads a number the organisation export guarded against spreadsheet formulas (a leading apostrophe before +)', () => {
    expect(checkRow(fields({ phone: "'+33612345678" }), now, FRANCE)).toMatchObject({ ok: true, row: { phone: '+33612345678' } });
  });

  it.each([
    ['a landline', '+33 1 23 45 67 89', 'phone must be a mobile number that can receive SMS', FRANCE],
    ['a number that is not one', 'call me', 'phone must be a phone number', FRANCE],
    ['a national number with no default region', '06 12 34 56 78', 'phone must start with + and the country code (no default region applies)', { allowedRegions: [] }],
    ['a number outside the allowed regions', '+254 712 345 678', 'phone must be a number in FR, BE', { allowedRegions: ['FR', 'BE'] }],
    ['a spreadsheet formula around a number', '=HYPERLINK("x","+33612345678")', 'phone must be written with digits, spaces and + - . ( ) / only', FRANCE],
    ['a formula that is no number', '=cmd|\' /C calc\'!A0', 'phone must be written with digits, spaces and + - . ( ) / only', FRANCE],
    ['an apostrophe-guarded formula', "'=+33612345678", 'phone must be written with digits, spaces and + - . ( ) / only', FRANCE],
    ['an overlong value', `+33612345678${'0'.repeat(40)}`, 'phone must be at most 40 characters', FRANCE],
  ] as const)('refuses %s, naming the column and never repeating the number', (_case, phone, reason, rules) => {
    const given = phoneReason(phone, rules);
    expect(given).toBe(reason);
    expect(given).not.toContain('612345678');
    expect(checkRow(fields({ phone }), now, rules).ok).toBe(false);
  });

  it('skips a row with a number where the network does not offer SMS', () => {
    expect(phoneReason('+33612345678', undefined)).toBe('phone cannot be taken: this network does not offer SMS');
    expect(checkRow(fields(), now, undefined)).toMatchObject({ ok: true });
  });

  it('reads phone, or the export’s sms column, with or without an email column', () => {
    const lines = readImportCsv(['language,topics,consent_at,consent_source,phone', 'en,,2025-01-01,form,+33612345678', 'en,,2025-01-01,form,'].join('\n'), now, FRANCE);
    expect(lines).toEqual([
      { line: 2, ok: true, row: expect.objectContaining({ phone: '+33612345678' }) },
      { line: 3, ok: false, reason: expect.stringMatching(/^email is missing: a row needs an email address, a push subscription .* or a phone number/) },
    ]);
    const exported = ['email,language,topics,consent_at,consent_source,sms,sms_state', "a@example.org,en,,2025-01-01,form,'+33612345678,active"].join('\n');
    expect(readImportCsv(exported, now, FRANCE)).toEqual([{ line: 2, ok: true, row: expect.objectContaining({ email: 'a@example.org', phone: '+33612345678' }) }]);
  });
});
