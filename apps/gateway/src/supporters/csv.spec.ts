import { csvCell, csvLine } from './csv';
import type { ExportedSupporterView } from '@clarion/contracts';
import { CSV_COLUMNS, csvRow } from './supporter-export';

describe('CSV export lines', () => {
  it('leaves plain cells alone and writes nothing for a missing one', () => {
    expect(csvLine(['ada@example.org', 'en', undefined])).toBe('ada@example.org,en,\r\n');
  });

  it('quotes cells with commas, quotes or line breaks, doubling the quotes', () => {
    expect(csvCell('Nairobi, Kenya')).toBe('"Nairobi, Kenya"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\rhere')).toBe('"cr\rhere"');
  });

  it.each(['=HYPERLINK("http://evil")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1'])('defuses a cell a spreadsheet would run: %j', (cell) => {
    const written = csvCell(cell);
    expect(written.replace(/^"/, '')).toMatch(/^'/);
  });

  it('defuses first, then quotes, so the apostrophe is inside the quotes', () => {
    expect(csvCell('=1,2')).toBe(`"'=1,2"`);
  });

  it('writes one supporter per line with the latest consent given', () => {
    const supporter: ExportedSupporterView = {
      id: 'a'.repeat(24),
      orgId: 'b'.repeat(24),
      email: 'ada@example.org',
      emailState: 'active',
      language: 'en',
      topics: ['civic-space', 'climate'],
      createdAt: '2026-11-01T10:00:00.000Z',
      consents: [
        { supporterId: 'a'.repeat(24), channel: 'email', action: 'granted', at: '2026-11-01T10:00:00.000Z', method: 'join-form', source: 'https://x.org/join/a' },
        { supporterId: 'a'.repeat(24), channel: 'email', action: 'confirmed', at: '2026-11-01T10:05:00.000Z', method: 'double-opt-in', ip: '203.0.113.9', userAgent: 'Firefox, "ESR"' },
        { supporterId: 'a'.repeat(24), channel: 'push', action: 'withdrawn', at: '2026-11-02T10:00:00.000Z', method: 'unsubscribe' },
      ],
    };
    expect(csvRow(supporter)).toBe(
      [
        'ada@example.org',
        'en',
        'civic-space;climate',
        '2026-11-01T10:05:00.000Z',
        '',
        'a'.repeat(24),
        'active',
        '',
        '2026-11-01T10:00:00.000Z',
        'email',
        'confirmed',
        'double-opt-in',
        '203.0.113.9',
        '"Firefox, ""ESR"""',
        '',
        '',
        '',
        '',
        '',
      ].join(',') + '\r\n',
    );
    expect(CSV_COLUMNS.slice(0, 5)).toEqual(['email', 'language', 'topics', 'consent_at', 'consent_source']);
  });

  it('carries a push subscription in the columns an import reads, so the audience can move elsewhere', () => {
    const push = { endpoint: 'https://push.example.net/send/abc', keys: { p256dh: 'B'.repeat(87), auth: 'a'.repeat(22) } };
    const row = csvRow({ id: 'a'.repeat(24), orgId: 'b'.repeat(24), pushState: 'active', push, language: 'fr', topics: [], createdAt: '2026-11-01T10:00:00.000Z', consents: [] });
    const cells = row.trimEnd().split(',');
    const at = CSV_COLUMNS.indexOf('push_endpoint');
    expect(CSV_COLUMNS.slice(at, at + 3)).toEqual(['push_endpoint', 'push_p256dh', 'push_auth']);
    expect(cells.slice(at, at + 3)).toEqual([push.endpoint, push.keys.p256dh, push.keys.auth]);
    expect(cells).toHaveLength(CSV_COLUMNS.length);
  });

  it('carries an SMS supporter’s number and its state in the last columns', () => {
    const row = csvRow({ id: 'a'.repeat(24), orgId: 'b'.repeat(24), smsState: 'active', sms: '+33612345678', language: 'fr', topics: [], createdAt: '2026-11-01T10:00:00.000Z', consents: [] });
    expect(CSV_COLUMNS.slice(-2)).toEqual(['sms', 'sms_state']);
    // A leading + starts a formula in a spreadsheet: quoted like any other cell that could.
    expect(row.trimEnd().split(',').slice(-2)).toEqual(["'+33612345678", 'active']);
  });
});
