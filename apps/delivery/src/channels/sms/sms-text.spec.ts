import { measureSms } from '@clarion/channels';
import { alertContent } from '../../rendering/alert-content';
import { sampleRelay, testLinks } from '../../test/sample-relay';
import { alertSms, optInCodeSms } from './sms-text';

const relay = {
  ...sampleRelay,
  texts: {
    ...sampleRelay.texts,
    fr: { title: 'L’appel « Libérez-les » — maintenant', body: 'Appelez.', bodyHtml: '<p>Appelez.</p>', ctaLabel: 'Signez' },
    ru: { title: 'Освободите журналистов', body: 'Звоните.', bodyHtml: '<p>Звоните.</p>', ctaLabel: 'Подписать' },
  },
};

// A real click link: the signed token makes it the longest part of the text.
const link = testLinks.click(relay.relayId, 'push');
const content = (language: string, title?: string) => ({ ...alertContent(relay, language), ...(title ? { title } : {}) });

describe('alertSms', () => {
  it('names the organisation, gives the title and the link, and says how to opt out', () => {
    const text = alertSms(relay, content('en'), link, undefined, 3);
    expect(text).toBe(`Rights & Co: Free the journalists\n${link}\nReply STOP to opt out`);
    // Today's signed click link is 128 characters: with it no alert fits one part (docs/decisions/0037).
    expect(measureSms(text)).toMatchObject({ encoding: 'GSM-7', segments: 2 });
    expect(measureSms(alertSms(relay, content('en'), 'https://clarion.example.org/s/Ab3dE9', undefined, 3)).segments).toBe(1);
  });

  it('speaks the supporter’s language, with pasted typography made plain so the text stays GSM-7', () => {
    const text = alertSms(relay, content('fr'), link, undefined, 3);
    expect(text).toBe(`Rights & Co: L'appel " Libérez-les " - maintenant\n${link}\nSTOP pour vous désabonner`);
    expect(measureSms(text).encoding).toBe('GSM-7');
  });

  it('marks an update, and words a withdrawal as one that names the organisation', () => {
    expect(alertSms(relay, content('en'), link, { kind: 'update' }, 3)).toBe(`Rights & Co: Update: Free the journalists\n${link}\nReply STOP to opt out`);
    expect(alertSms(relay, content('fr'), link, { kind: 'retraction', reason: 'duplicate' }, 3)).toBe(
      `Retiré: L'appel " Libérez-les " - maintenant\nRights & Co a retiré cet appel à l'action. Merci de ne pas tenir compte du message précédent.\n${link}\nSTOP pour vous désabonner`,
    );
  });

  it('cuts a long title to keep within the cap, and never cuts the link or the opt-out', () => {
    const long = content('en', `Free the journalists ${'and all of those held with them '.repeat(20)}`);
    const shortLink = 'https://clarion.example.org/s/Ab3dE9';
    for (const [cap, url] of [
      [1, shortLink],
      [2, link],
      [3, link],
    ] as const) {
      const text = alertSms(relay, long, url, undefined, cap);
      expect(measureSms(text).segments).toBe(cap);
      expect(text).toMatch(/^Rights & Co: Free the journalists.*\.\.\.\n/);
      expect(text.endsWith(`\n${url}\nReply STOP to opt out`)).toBe(true);
    }
    // A part more is worth about 150 more characters of title.
    expect(alertSms(relay, long, link, undefined, 3).length - alertSms(relay, long, link, undefined, 2).length).toBeGreaterThan(140);
  });

  it('cuts a title in a script outside GSM-7 within the UCS-2 parts, at a whole character', () => {
    const text = alertSms(relay, content('ru', `${'Освободите журналистов 🔥 '.repeat(10)}`), link, undefined, 3);
    expect(measureSms(text)).toMatchObject({ encoding: 'UCS-2' });
    expect(measureSms(text).segments).toBeLessThanOrEqual(3);
    expect(text).toContain('...\n');
    expect(text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('refuses to render when even the link and opt-out cannot fit the cap, rather than bill more parts', () => {
    expect(() => alertSms(relay, content('ru'), `${link}${'x'.repeat(200)}`, undefined, 2)).toThrow(
      `the SMS for relay ${relay.relayId} cannot fit in 2 parts even without its title`,
    );
  });
});

describe('optInCodeSms', () => {
  it('gives the code and its lifetime in the supporter’s language, in one part in GSM-7 languages and two at most in others', () => {
    expect(optInCodeSms('Rights & Co', '042137', 'en', 10)).toBe('Rights & Co: your confirmation code is 042137. It expires in 10 minutes.');
    expect(optInCodeSms('Rights & Co', '042137', 'pt-br', 10)).toBe('Rights & Co: seu código de confirmação é 042137. Expira em 10 minutos.');
    const longName = 'An organisation with a very long name indeed, far too long';
    for (const language of ['en', 'fr', 'sw']) expect(measureSms(optInCodeSms(longName, '042137', language, 10))).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    for (const language of ['es', 'pt']) expect(measureSms(optInCodeSms(longName, '042137', language, 10)).segments).toBeLessThanOrEqual(2);
  });
});
