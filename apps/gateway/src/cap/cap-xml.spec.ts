import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { CAP_1_2 } from '@dec112/cap-ts';
import Parser from 'rss-parser';
import type { CapAlertView } from '@clarion/contracts';
import { capAtomFeed, capDateTime, capDocument, type CapSource } from './cap-xml';

const source: CapSource = { coalition: { id: '64b000000000000000000001', name: 'Civic Space Coalition', slug: 'civic-space' }, baseUrl: 'https://alerts.example.org' };

const published: CapAlertView = {
  id: '64b0000000000000000000aa',
  coalitionId: source.coalition.id,
  status: 'published',
  version: 1,
  primaryLanguage: 'en',
  texts: {
    en: { title: 'Stand with the KHRC', body: 'The government froze its accounts & <more>.', bodyHtml: '<p>…</p>', ctaLabel: 'Sign the letter' },
    fr: { title: 'Solidarité avec la KHRC', body: 'Le gouvernement a gelé ses comptes.', bodyHtml: '<p>…</p>', ctaLabel: 'Signez la lettre' },
  },
  ctaUrl: 'https://example.org/act?x=1&y=2',
  urgency: 'high',
  topics: ['civic-space'],
  regions: ['KE'],
  expiresAt: '2026-12-09T10:00:00.000Z',
  messages: [{ version: 1, sentAt: '2026-12-07T10:00:00.123Z' }],
};
const updated: CapAlertView = { ...published, version: 2, messages: [...published.messages, { version: 2, sentAt: '2026-12-07T10:20:00.000Z' }] };
const cancelled: CapAlertView = { ...updated, status: 'cancelled', cancelledAt: '2026-12-07T11:00:00.000Z', cancelReason: 'The accounts were unfrozen.' };
/** An alert for every topic and region: no topic codes and no area, which CAP allows. */
const untargeted: CapAlertView = { ...published, topics: [], regions: [], expiresAt: undefined };

/** libxml2's own parser: the document is well-formed XML (throws with xmllint's message otherwise, or when xmllint is missing). */
function xmllint(xml: string): void {
  execFileSync('xmllint', ['--noout', '-'], { input: xml, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** The OASIS CAP 1.2 schema, vendored unchanged (test/fixtures/cap/README.md). */
const CAP_XSD = join(__dirname, '../../../../test/fixtures/cap/CAP-v1.2.xsd');

/** Valid against the OASIS CAP 1.2 XSD, checked by libxml2 (throws with xmllint's message otherwise). */
function validatesAgainstOasisXsd(xml: string): void {
  execFileSync('xmllint', ['--noout', '--schema', CAP_XSD, '-'], { input: xml, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** The independent CAP 1.2 implementation's decoder, and its own validation of what it decoded. */
async function decode(xml: string): Promise<CAP_1_2.Alert> {
  const alert = await CAP_1_2.Alert.fromXML(xml);
  expect(alert.validate()).toBeUndefined();
  return alert;
}

describe('CAP 1.2 documents', () => {
  it('writes sent times with an explicit offset and no fraction, as CAP 1.2 requires', () => {
    expect(capDateTime('2026-12-07T10:00:00.123Z')).toBe('2026-12-07T10:00:00+00:00');
  });

  it('an Alert decodes in an independent CAP 1.2 implementation', async () => {
    const xml = capDocument(published, source);
    xmllint(xml);
    validatesAgainstOasisXsd(xml);
    const alert = await decode(xml);
    expect(alert.msgType).toBe(CAP_1_2.Alert_msgType.alert);
    expect(alert.identifier).toBe('clarion-64b0000000000000000000aa-v1');
    expect(alert.sender).toBe('civic-space@alerts.example.org');
    expect(alert.sent).toBe('2026-12-07T10:00:00+00:00');
    expect(alert.references).toBeUndefined();
    // The decoder answers one code as a string rather than a list.
    expect([alert.code_list].flat()).toEqual(['profile:clarion:1.0']);
    expect(alert.info_list[0].eventCode_list).toEqual([{ valueName: 'clarion:topic', value: 'civic-space' }]);
    expect(alert.info_list.map((info) => [info.language, info.headline, info.web])).toEqual([
      ['en', 'Stand with the KHRC', 'https://example.org/act?x=1&y=2'],
      ['fr', 'Solidarité avec la KHRC', 'https://example.org/act?x=1&y=2'],
    ]);
    expect(alert.info_list[0].description).toBe('The government froze its accounts & <more>.');
  });

  it('an alert without topics, regions or expiry decodes too', async () => {
    const xml = capDocument(untargeted, source);
    xmllint(xml);
    validatesAgainstOasisXsd(xml);
    const alert = await decode(xml);
    expect([alert.code_list].flat()).toEqual(['profile:clarion:1.0']);
    expect(alert.info_list[0].area_list).toEqual([]);
  });

  it('an Update references the Alert', async () => {
    const xml = capDocument(updated, source);
    xmllint(xml);
    validatesAgainstOasisXsd(xml);
    const alert = await decode(xml);
    expect(alert.msgType).toBe(CAP_1_2.Alert_msgType.update);
    expect(alert.identifier).toBe('clarion-64b0000000000000000000aa-v2');
    expect(alert.references).toBe('civic-space@alerts.example.org,clarion-64b0000000000000000000aa-v1,2026-12-07T10:00:00+00:00');
  });

  it('a Cancel references every earlier message and says why', async () => {
    const xml = capDocument(cancelled, source);
    xmllint(xml);
    validatesAgainstOasisXsd(xml);
    const alert = await decode(xml);
    expect(alert.msgType).toBe(CAP_1_2.Alert_msgType.cancel);
    expect(alert.references?.split(' ')).toEqual([
      'civic-space@alerts.example.org,clarion-64b0000000000000000000aa-v1,2026-12-07T10:00:00+00:00',
      'civic-space@alerts.example.org,clarion-64b0000000000000000000aa-v2,2026-12-07T10:20:00+00:00',
    ]);
    expect(alert.info_list[0].description).toBe('The accounts were unfrozen.');
  });

  it('a document that breaks the schema is refused by the schema check', () => {
    const xml = capDocument(published, source).replace('<msgType>Alert</msgType>', '<msgType>Warning</msgType>');
    expect(() => validatesAgainstOasisXsd(xml)).toThrow(/msgType/);
  });
});

describe('the Atom feed', () => {
  it('parses in a feed parser, one entry per alert linking its CAP document', async () => {
    const xml = capAtomFeed([updated, { ...cancelled, id: '64b0000000000000000000bb' }], source, new Date('2026-12-07T12:00:00Z'), 'capf_token');
    xmllint(xml);
    const feed = await new Parser().parseString(xml);
    expect(feed.title).toBe('Civic Space Coalition: current alerts');
    expect(feed.items.map((item) => [item.title, item.link])).toEqual([
      ['Stand with the KHRC', 'https://alerts.example.org/cap/64b000000000000000000001/alerts/64b0000000000000000000aa.xml?token=capf_token'],
      ['Cancelled: Stand with the KHRC', 'https://alerts.example.org/cap/64b000000000000000000001/alerts/64b0000000000000000000bb.xml?token=capf_token'],
    ]);
  });
});
