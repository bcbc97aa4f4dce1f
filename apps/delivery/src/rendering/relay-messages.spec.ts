import { sampleRelay as relay, testLinks as links, testSigner as signer } from '../test/sample-relay';
import { RelayMessages } from './relay-messages';

const alice = { supporterId: '1'.repeat(24), language: 'fr', deliveryId: 'e'.repeat(24) };
const bob = { supporterId: '2'.repeat(24), language: 'en', deliveryId: 'f'.repeat(24) };

/** Every signed token in a message, by the path it sits under. */
function tokens(text: string, path: 'c' | 'u' | 'p'): string[] {
  return [...text.matchAll(new RegExp(`https://clarion\\.example\\.org/${path}/([A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+)`, 'g'))].map((m) => m[1]);
}

describe('RelayMessages', () => {
  it('renders the email in the supporter’s language with the organisation’s intro, branding and escaped names', () => {
    const email = new RelayMessages(relay, links).email(alice);
    expect(email.subject).toBe('Libérez les journalistes');
    expect(email.html).toContain('<html lang="fr">');
    expect(email.html).toContain('From all of us at Rights &amp; Co:');
    expect(email.html).toContain('<p>Appelez <strong>aujourd’hui</strong>.</p>');
    expect(email.html).toContain('Rights &lt;Co&gt;');
    expect(email.html).toContain('background:#ffcc00;color:#000000');
    expect(email.html).toContain('<img src="https://rights.example.org/logo.png"');
    expect(email.html).toContain('Se désabonner');
    expect(email.text).toContain('From all of us at Rights & Co:\n\nAppelez aujourd’hui.');
    expect(email.text).toMatch(/Signez: https:\/\/clarion\.example\.org\/c\//);
  });

  it('falls back to the primary language, and from a regional language to its base language', () => {
    const messages = new RelayMessages(relay, links);
    expect(messages.email({ ...bob, language: 'de' }).subject).toBe('Free the journalists');
    expect(messages.email({ ...bob, language: 'fr-ca' }).subject).toBe('Libérez les journalistes');
    expect(JSON.parse(messages.pushPayload({ ...bob, language: 'sw' })).title).toBe('Free the journalists');
  });

  it('leaves the intro out when the organisation wrote none', () => {
    const email = new RelayMessages({ ...relay, intro: undefined }, links).email(bob);
    expect(email.html).not.toContain('font-style:italic');
    expect(email.text.startsWith('Free the journalists\n\nCall today.')).toBe(true);
  });

  it('links the call to action, unsubscribe and preferences with signed tokens that carry ids only', () => {
    const email = new RelayMessages(relay, links).email(alice);
    const [click] = tokens(email.html, 'c');
    expect(signer.verify('click', click)).toEqual({ k: 'click', r: relay.relayId, ch: 'email' });
    expect(new Set(tokens(email.html + email.text, 'u'))).toEqual(new Set([tokens(email.html, 'u')[0]]));
    expect(signer.verify('unsubscribe', tokens(email.text, 'u')[0])).toEqual({ k: 'unsubscribe', s: alice.supporterId, c: 'email', o: relay.orgId });
    expect(signer.verify('preferences', tokens(email.text, 'p')[0])).toEqual({ k: 'preferences', s: alice.supporterId, o: relay.orgId });
    expect(email.html).toContain(`https://clarion.example.org/a/${relay.relayId}`);
    expect(email.headers).toEqual({
      'List-Unsubscribe': `<https://clarion.example.org/u/${tokens(email.text, 'u')[0]}>`,
      'X-Clarion-Delivery-Id': alice.deliveryId,
      'X-PM-Metadata-clarion-delivery-id': alice.deliveryId,
      'X-SES-MESSAGE-TAGS': `clarion-delivery-id=${alice.deliveryId}`,
    });
    expect(email.relayHeaders).toEqual({ 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click', 'X-Clarion-Relay-Id': relay.relayId });
  });

  it('gives each recipient only their own links and delivery id, however the renderings are shared', () => {
    const messages = new RelayMessages(relay, links);
    const forAlice = messages.email(alice);
    const forBob = messages.email({ ...bob, language: 'fr' });
    const forAliceAgain = messages.email(alice);
    expect(forAliceAgain).toEqual(forAlice);
    for (const [email, own, other] of [
      [forAlice, alice, bob],
      [forBob, bob, alice],
    ] as const) {
      const everything = email.html + email.text + JSON.stringify(email.headers);
      expect(everything).not.toContain(other.deliveryId);
      for (const token of tokens(everything, 'u')) expect(signer.verify('unsubscribe', token)).toMatchObject({ s: own.supporterId });
      for (const token of tokens(everything, 'p')) expect(signer.verify('preferences', token)).toMatchObject({ s: own.supporterId });
      expect(tokens(everything, 'u').length).toBeGreaterThan(0);
    }
  });

  it('builds a push payload with a plain one-line body, the push click link and the alert’s urgency', () => {
    const long = { ...relay, intro: undefined, texts: { en: { ...relay.texts.en, bodyHtml: `<p>${'Act now. '.repeat(40)}</p><ul><li>one</li></ul>` } } };
    const payload = JSON.parse(new RelayMessages(long, links).pushPayload(bob));
    expect(Object.keys(payload)).toEqual(['title', 'body', 'url', 'deliveryId', 'relayId', 'urgency']);
    expect(payload).toMatchObject({ title: 'Free the journalists', deliveryId: bob.deliveryId, relayId: relay.relayId, urgency: 'critical' });
    expect(Array.from(payload.body as string)).toHaveLength(200);
    expect(payload.body).toMatch(/^Act now\. Act now\..*…$/);
    expect(payload.body).not.toMatch(/[<>\n]/);
    const click = (payload.url as string).replace('https://clarion.example.org/c/', '');
    expect(signer.verify('click', click)).toEqual({ k: 'click', r: relay.relayId, ch: 'push' });
  });

  it('starts the push body with the organisation’s intro', () => {
    const payload = JSON.parse(new RelayMessages(relay, links).pushPayload(alice));
    expect(payload.body).toBe('From all of us at Rights & Co: — Appelez aujourd’hui.');
  });

  describe('follow-ups (docs/decisions/0028)', () => {
    const original = { ...alice, deliveryId: '0'.repeat(24), originalDeliveryId: 'e'.repeat(24) };

    it('marks an update in the subject and above the title, with the organisation’s intro still there', () => {
      const email = new RelayMessages(relay, links, { kind: 'update' }).email(original);
      expect(email.subject).toBe('Mise à jour: Libérez les journalistes');
      expect(email.text).toMatch(/^Ce message corrige l’alerte reçue précédemment\./);
      expect(email.text).toContain('From all of us at Rights & Co:');
      const push = JSON.parse(new RelayMessages(relay, links, { kind: 'update' }).pushPayload(original));
      expect(push).toMatchObject({ title: 'Mise à jour: Libérez les journalistes', followUp: 'update', replaces: 'e'.repeat(24), deliveryId: '0'.repeat(24) });
    });

    it('makes a retraction a short notice with the reason and no call to action', () => {
      const messages = new RelayMessages(relay, links, { kind: 'retraction', reason: 'Released <today>.' });
      const email = messages.email({ ...original, language: 'en' });
      expect(email.subject).toBe('Withdrawn: Free the journalists');
      expect(email.text).toContain('Rights & Co has withdrawn this call to action.');
      expect(email.text).toContain('Reason: Released <today>.');
      expect(email.html).toContain('Released &lt;today&gt;.');
      expect(email.text).not.toContain('Sign now');
      expect(tokens(email.text, 'c')).toEqual([]);
      const push = JSON.parse(messages.pushPayload({ ...original, language: 'en' }));
      expect(push).toMatchObject({ title: 'Withdrawn: Free the journalists', followUp: 'retraction', replaces: 'e'.repeat(24) });
    });
  });
});
