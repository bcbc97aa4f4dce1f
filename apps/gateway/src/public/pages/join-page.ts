import type { PublicOrganisationView } from '@clarion/contracts';
import { organisationBrand } from './brand';
import { languageSelect, problemSummary, topicCheckboxes } from './form-controls';
import { html } from './html';
import { t, type PageLanguage } from '../i18n/messages';
import type { Page } from './layout';

/**
 * Where an organisation's service worker lives and what it controls: one
 * registration per organisation, so one browser can take several
 * organisations' push on one installation, each with its own VAPID key
 * (a registration holds one push subscription, for one key).
 */
export function pushScopeOf(slug: string): string {
  return `/join/${slug}/`;
}

export interface JoinFormValues {
  email?: string;
  sms?: string;
  language?: string;
  topics?: string[];
}

/**
 * The organisation's join page. The form works without JavaScript (email);
 * `/static/join.js` adds browser notifications, reading the VAPID key, the
 * endpoint and the organisation's service worker and scope from the form's
 * data attributes. The ids are stable for browser tests.
 */
export function joinPage(
  lang: PageLanguage,
  org: PublicOrganisationView,
  values: JoinFormValues = {},
  problem?: { message: string; field?: string },
  offers: { sms?: boolean } = {},
): Page {
  const action = `/join/${org.slug}`;
  const scope = pushScopeOf(org.slug);
  const emailInvalid = problem?.field === 'email';
  const smsInvalid = problem?.field === 'sms';
  // The supporter's language for alerts: the one they chose, else the page's if the organisation sends in it.
  const language = values.language ?? (org.languages.includes(lang) ? lang : org.languages[0]);
  return {
    status: problem ? 400 : 200,
    lang,
    title: t(lang, 'join.title'),
    brand: organisationBrand(org),
    scripts: ['/static/join.js'],
    manifest: `${scope}manifest.webmanifest`,
    languageSwitch: true,
    content: html`<h1>${t(lang, 'join.heading', { org: org.name })}</h1>
<p>${t(lang, 'join.intro', { org: org.name })}</p>
${problemSummary(lang, problem)}
<form id="join-form" method="post" action="${action}" data-join-url="${action}" data-vapid-key="${org.vapidPublicKey}" data-sw-url="${scope}sw.js" data-sw-scope="${scope}" novalidate>
<input type="hidden" name="ui" value="${lang}">
<label for="email">${t(lang, 'join.email')}</label>
<input id="email" name="email" type="email" autocomplete="email" inputmode="email" value="${values.email ?? ''}" data-testid="email"${emailInvalid ? html` aria-invalid="true"` : ''}>
${offers.sms && html`<label for="sms">${t(lang, 'join.sms')}</label>
<p class="hint" id="sms-hint">${t(lang, 'join.smsHint')}</p>
<input id="sms" name="sms" type="tel" autocomplete="tel" inputmode="tel" aria-describedby="sms-hint" value="${values.sms ?? ''}" data-testid="sms"${smsInvalid ? html` aria-invalid="true"` : ''}>
`}${languageSelect(lang, org.languages, language)}
${topicCheckboxes(lang, org.topics, values.topics ?? [])}
<button type="submit" id="join-submit" class="primary" data-testid="join-submit">${t(lang, 'join.submit')}</button>
</form>
<section class="push" aria-labelledby="push-heading">
<h2 id="push-heading">${t(lang, 'join.pushHeading')}</h2>
<p>${t(lang, 'join.pushIntro')}</p>
<button type="button" id="push-button" data-testid="push-button" hidden>${t(lang, 'join.pushButton')}</button>
<p id="push-status" data-testid="push-status" role="status" aria-live="polite"></p>
</section>
<p class="hint">${t(lang, 'join.consentNote')}</p>`,
  };
}

/** What the code form posts back: the channel and contact as the join took them in, and the code typed. */
export interface CodeFormValues {
  channel: string;
  contact: string;
  code?: string;
}

/**
 * After a join on a code channel (SMS), and again after a code that did not confirm: the code entry. The
 * channel and contact ride in hidden fields; the code is typed. `joined`: what else the join asked for.
 */
export function codePage(
  lang: PageLanguage,
  org: PublicOrganisationView,
  values: CodeFormValues,
  problem?: { message: string; field?: string },
  joined: { email?: boolean; push?: boolean } = {},
): Page {
  return {
    status: problem ? 400 : 200,
    lang,
    title: t(lang, 'joined.titleCode'),
    brand: organisationBrand(org),
    content: html`<h1>${t(lang, 'joined.titleCode')}</h1>
${problemSummary(lang, problem)}
<p>${t(lang, 'joined.sms', { number: values.contact })}</p>
${joined.email && html`<p>${t(lang, 'joined.email')}</p>`}
${joined.push && html`<p>${t(lang, 'joined.push')}</p>`}
<form id="code-form" method="post" action="/join/${org.slug}/code" novalidate>
<input type="hidden" name="ui" value="${lang}">
<input type="hidden" name="channel" value="${values.channel}">
<input type="hidden" name="contact" value="${values.contact}">
<label for="code">${t(lang, 'code.label')}</label>
<input id="code" name="code" type="text" autocomplete="one-time-code" inputmode="numeric" maxlength="12" value="${values.code ?? ''}" data-testid="code"${problem?.field === 'code' ? html` aria-invalid="true"` : ''}>
<button type="submit" class="primary" data-testid="code-submit">${t(lang, 'code.submit')}</button>
</form>`,
  };
}

/** After the form: what happens next for each channel the person chose. */
export function joinedPage(lang: PageLanguage, org: PublicOrganisationView, channels: { email: boolean; push: boolean }): Page {
  return {
    status: 200,
    lang,
    title: t(lang, channels.email ? 'joined.titleEmail' : 'joined.titleJoined'),
    brand: organisationBrand(org),
    content: html`<h1>${channels.email ? t(lang, 'joined.headingEmail') : t(lang, 'joined.headingJoined', { org: org.name })}</h1>
${channels.email && html`<p>${t(lang, 'joined.email')}</p>`}
${channels.push && html`<p>${t(lang, 'joined.push')}</p>`}
<p><a href="/join/${org.slug}">${t(lang, 'joined.back', { org: org.name })}</a></p>`,
  };
}
