import type { PublicOrganisationView, PublicRelayView } from '@clarion/contracts';
import { alertPage } from './alert-page';
import { errorPage } from './error-page';
import { escapeHtml, html, trustedHtml } from './html';
import { codePage, joinPage } from './join-page';
import { renderDocument } from './layout';
import { preferencesPage, unsubscribeAskPage } from './supporter-pages';

const SCRIPT = '<script>alert("x")</script>';
const ESCAPED = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;';

const org: PublicOrganisationView = {
  id: 'a'.repeat(24),
  name: `Evil ${SCRIPT} Org`,
  slug: 'evil-org',
  languages: ['en', 'fr'],
  branding: { colour: '#aa3300', senderName: 'Evil', logoUrl: 'https://example.org/logo.png" onerror="alert(1)' },
  vapidPublicKey: 'BKey"><script>',
  topics: [
    { id: 'climate', label: `Climate ${SCRIPT}`, labels: { fr: 'Climat' } },
    { id: 'health', label: 'Health' },
  ],
};

const relay: PublicRelayView = {
  relayId: 'b'.repeat(24),
  status: 'approved',
  org: { name: SCRIPT, slug: 'evil-org', colour: '#aa3300' },
  language: 'fr',
  title: `Title ${SCRIPT}`,
  bodyHtml: '<p>Le gouvernement a <strong>gelé</strong> ses comptes.</p>',
  ctaLabel: SCRIPT,
  intro: SCRIPT,
  urgency: 'high',
};

const documentOf = (page: Parameters<typeof renderDocument>[0]) => renderDocument(page);

describe('html', () => {
  it('escapes the five characters that matter in text and quoted attributes', () => {
    expect(escapeHtml(`<a href="x">Tom & 'Jerry'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;');
  });

  it('escapes interpolated values, joins arrays, renders nothing for false and undefined, and keeps SafeHtml', () => {
    const items = ['<b>', 'ok'];
    expect(html`<p>${SCRIPT}</p>${items.map((i) => html`<li>${i}</li>`)}${false}${undefined}${trustedHtml('<em>kept</em>')}`.markup).toBe(
      `<p>${ESCAPED}</p><li>&lt;b&gt;</li><li>ok</li><em>kept</em>`,
    );
  });
});

describe('page templates escape what they are given', () => {
  it('join page: organisation name, logo URL and VAPID key', () => {
    const page = documentOf(joinPage('en', org, { email: '"><script>' }));
    expect(page).not.toContain(SCRIPT);
    expect(page).not.toContain('"><script>');
    expect(page).toContain(`Stand with Evil ${ESCAPED} Org`);
    expect(page).toContain('data-vapid-key="BKey&quot;&gt;&lt;script&gt;"');
    expect(page).toContain('src="https://example.org/logo.png&quot; onerror=&quot;alert(1)"');
  });

  it('join page: stable ids for the form, the push button and its status, with labels', () => {
    const page = documentOf(joinPage('en', org));
    for (const id of ['email', 'language', 'join-submit', 'push-button', 'push-status']) expect(page).toContain(`id="${id}"`);
    expect(page).toContain('<label for="email">');
    expect(page).toContain('<label for="language">');
    expect(page).toContain('<option value="fr">français</option>');
    expect(page).toContain('<html lang="en">');
    expect(page).toContain('<script src="/static/join.js" defer></script>');
    expect(page).not.toMatch(/<script>(?!<)/);
  });

  it('join page: the phone field only where SMS is offered; the code form carries the number, escaped', () => {
    expect(documentOf(joinPage('en', org))).not.toContain('name="sms"');
    const offered = documentOf(joinPage('fr', org, { sms: '"><script>' }, { message: 'bad', field: 'sms' }, { sms: true }));
    expect(offered).toContain('<label for="sms">Numéro de mobile (pour les SMS)</label>');
    expect(offered).toMatch(/<input id="sms" name="sms" type="tel"[^>]*aria-invalid="true"/);
    expect(offered).not.toContain('"><script>');
    const code = documentOf(codePage('sw', org, { channel: 'sms', contact: '+33612345678"><script>' }, { message: 'wrong', field: 'code' }));
    expect(code).toContain('action="/join/evil/code"'.replace('evil', org.slug));
    expect(code).toContain('name="contact" value="+33612345678&quot;&gt;&lt;script&gt;"');
    expect(code).toMatch(/<input id="code" name="code"[^>]*aria-invalid="true"/);
  });

  it('join page with a problem: 400, the field named and marked invalid, the input kept', () => {
    const page = joinPage('en', org, { email: 'not-an-email', language: 'fr', topics: ['climate'] }, { message: 'email must be an email address', field: 'email' });
    const document = documentOf(page);
    expect(page.status).toBe(400);
    expect(document).toContain('<a href="#email">email must be an email address</a>');
    expect(document).toContain('aria-invalid="true"');
    expect(document).toContain('value="not-an-email"');
    expect(document).toContain('<option value="fr" selected>');
    expect(document).toMatch(/value="climate" aria-describedby="topics-hint" checked/);
  });

  it('join page: offers the coalitions’ topics, named in the page’s language where they have a name in it', () => {
    const english = documentOf(joinPage('en', org));
    expect(english).toContain(`>Climate ${ESCAPED}</label>`);
    expect(english).toContain('>Health</label>');
    expect(english).not.toContain('civic-space');
    const french = documentOf(joinPage('fr', org));
    expect(french).toContain('<html lang="fr">');
    expect(french).toContain(`Solidaires avec Evil ${ESCAPED} Org`);
    expect(french).toContain('>Climat</label>');
    expect(french).toContain('>Health</label>');
    expect(french).toContain('<option value="fr" selected>');
    expect(french).toContain('<input type="hidden" name="ui" value="fr">');
    expect(french).toContain('<a href="?lang=sw" hreflang="sw" lang="sw">Kiswahili</a>');
  });

  it('join page without topics to offer has no topics fieldset', () => {
    expect(documentOf(joinPage('en', { ...org, topics: [] }))).not.toContain('<fieldset class="topics">');
  });

  it('error pages speak the page’s language', () => {
    expect(documentOf(errorPage({ statusCode: 404, error: 'Not Found', message: 'x' }, undefined, 'es'))).toContain('<h1>Página no encontrada</h1>');
  });

  it('alert page: everything but the sanitised body is escaped; the language is the alert’s', () => {
    const page = documentOf(alertPage(relay, 'open', '/c/token'));
    expect(page).not.toContain(SCRIPT);
    expect(page).toContain('<p>Le gouvernement a <strong>gelé</strong> ses comptes.</p>');
    expect(page).toContain(`<a class="button primary" id="cta" data-testid="cta" href="/c/token">${ESCAPED}</a>`);
    expect(page).toContain('<html lang="fr">');
  });

  it('alert page: a withdrawn alert has no call to action', () => {
    const page = documentOf(alertPage(relay, 'withdrawn', '/c/token'));
    expect(page).toContain('withdrawn');
    expect(page).not.toContain('/c/token');
  });

  it('supporter pages and error pages escape tokens, names and messages', () => {
    const brand = { name: SCRIPT, colour: '#000000' };
    expect(documentOf(unsubscribeAskPage(brand, 'email', '"><x'))).not.toContain('"><x');
    const preferences = documentOf(
      preferencesPage({ brand, token: 't', languages: ['en'], language: 'en', topics: [SCRIPT], offeredTopics: org.topics, channels: [{ channel: 'push', unsubscribePath: '/u/"x' }] }),
    );
    expect(preferences).not.toContain(SCRIPT);
    expect(preferences).toContain('href="/u/&quot;x"');
    const error = documentOf(errorPage({ statusCode: 400, error: 'Bad Request', message: `email ${SCRIPT}`, field: 'email' }));
    expect(error).not.toContain(SCRIPT);
  });

  it('puts only a hex colour into the style block, with readable text on it', () => {
    const hostile = documentOf({ ...joinPage('en', org), brand: { name: 'x', colour: 'red}</style><script>alert(1)</script>' } });
    expect(hostile).toContain('<style>:root{--brand:#1f4e79;--on-brand:#ffffff}</style>');
    expect(documentOf({ ...joinPage('en', org), brand: { name: 'x', colour: '#ffee00' } })).toContain('--on-brand:#000000');
  });
});
