import { Invalid } from '@clarion/errors';
import { checkRow, readImportCsv } from './import-rows';

const now = new Date('2026-11-23T18:00:00Z');
const HEADER = 'email,language,topics,consent_at,consent_source';
const fields = (overrides: Partial<Record<'email' | 'language' | 'topics' | 'consent_at' | 'consent_source', string>> = {}) => ({
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

  it('refuses a header without the required columns, and a file that is not CSV, before anything is imported', () => {
    expect(() => readImportCsv('email,language\na@example.org,en', now)).toThrow(Invalid);
    expect(() => readImportCsv('email,language\na@example.org,en', now)).toThrow(/lacks topics, consent_at, consent_source/);
    expect(() => readImportCsv(`${HEADER}\n"a@example.org,en,,2025-01-01,form`, now)).toThrow(/csv is not valid CSV/);
  });
});
