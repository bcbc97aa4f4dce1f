import type { DeliveryChannel } from '@clarion/contracts';
import { NEUTRAL_BRAND, type Brand } from './brand';
import { languageSelect, problemSummary, topicCheckboxes, type OfferedTopic } from './form-controls';
import { html } from './html';
import { t, type PageLanguage } from '../i18n/messages';
import type { Page } from './layout';

const CHANNEL_NAMES: Record<DeliveryChannel, string> = { email: 'emails', push: 'browser notifications', sms: 'text messages' };

/** A contact confirmed: by the email's link, or (`codeConfirmed.text`) by the code texted to a number. */
export function confirmedPage(lang: PageLanguage, brand: Brand, text: 'confirmed.text' | 'codeConfirmed.text' = 'confirmed.text'): Page {
  return {
    status: 200,
    lang,
    title: t(lang, 'confirmed.title'),
    brand,
    content: html`<h1>${t(lang, 'confirmed.title')}</h1>
<p>${t(lang, text, { org: brand.name })}</p>`,
  };
}

/**
 * Asked before unsubscribing, because link scanners open links: only the
 * POST (this button, or a mail client's RFC 8058 one-click) unsubscribes.
 */
export function unsubscribeAskPage(brand: Brand, channel: DeliveryChannel, token: string): Page {
  return {
    status: 200,
    lang: 'en',
    title: 'Unsubscribe',
    brand,
    content: html`<h1>Stop ${CHANNEL_NAMES[channel]} from ${brand.name}?</h1>
<p>You will get no more alerts this way. You can join again at any time.</p>
<form method="post" action="/u/${token}">
<button type="submit" id="unsubscribe-button" class="primary" data-testid="unsubscribe-button">Unsubscribe</button>
</form>`,
  };
}

export function unsubscribedPage(brand: Brand, channel: DeliveryChannel): Page {
  return {
    status: 200,
    lang: 'en',
    title: 'Unsubscribed',
    brand,
    content: html`<h1>You’re unsubscribed</h1>
<p>${brand.name} will send you no more ${CHANNEL_NAMES[channel]}.</p>`,
  };
}

export interface ChannelLink {
  channel: DeliveryChannel;
  unsubscribePath: string;
}

export interface PreferencesForm {
  brand: Brand;
  token: string;
  languages: string[];
  language: string;
  topics: string[];
  /** The topics of the organisation's coalitions. */
  offeredTopics: OfferedTopic[];
  /** The channels the supporter still receives, each with its unsubscribe link. */
  channels: ChannelLink[];
  saved?: boolean;
  problem?: { message: string; field?: string };
}

export function preferencesPage(form: PreferencesForm): Page {
  return {
    status: form.problem ? 400 : 200,
    lang: 'en',
    title: 'Your preferences',
    brand: form.brand,
    content: html`<h1>Your alerts from ${form.brand.name}</h1>
${form.saved && html`<p class="notice" role="status">Your preferences are saved.</p>`}
${problemSummary('en', form.problem)}
<form method="post" action="/p/${form.token}">
${languageSelect('en', form.languages, form.language)}
${topicCheckboxes('en', form.offeredTopics, form.topics)}
<button type="submit" id="preferences-submit" class="primary" data-testid="preferences-submit">Save preferences</button>
</form>
${
  form.channels.length > 0 &&
  html`<h2>Unsubscribe</h2>
<ul class="links">
${form.channels.map((link) => html`<li><a href="${link.unsubscribePath}">Stop ${CHANNEL_NAMES[link.channel]}</a></li>`)}
</ul>`
}
<h2>Your data</h2>
<p>${form.brand.name} keeps your address or browser subscription, your language and topics, when and where you agreed, and which alerts reached you.</p>
<ul class="links">
<li><a href="/p/${form.token}/export" id="export-link" data-testid="export-link" download>Download all of it (JSON)</a></li>
<li><a href="/p/${form.token}/erase" id="erase-link" data-testid="erase-link">Delete all of it and leave</a></li>
</ul>`,
  };
}

/** Asked first, like unsubscribing: a link scanner opening the link erases nothing. */
export function eraseAskPage(brand: Brand, token: string): Page {
  return {
    status: 200,
    lang: 'en',
    title: 'Delete your data',
    brand,
    content: html`<h1>Delete everything ${brand.name} holds about you?</h1>
<p>Your address, your browser subscription, your preferences and the record of your consent are deleted, and you get no more alerts. This cannot be undone; you can join again as a new supporter at any time.</p>
<form method="post" action="/p/${token}/erase">
<button type="submit" id="erase-button" class="primary" data-testid="erase-button">Delete my data</button>
</form>`,
  };
}

export function erasedPage(brand: Brand, erasureId: string): Page {
  return {
    status: 200,
    lang: 'en',
    title: 'Your data is deleted',
    brand,
    content: html`<h1>Your data is deleted</h1>
<p>${brand.name} no longer holds your address, subscription or preferences, and will send you nothing more. The reference of this erasure, which names nobody, is <code data-testid="erasure-id">${erasureId}</code>.</p>`,
  };
}

/** The confirmation link did not work: say why it may be, and what to do. */
export function confirmFailedPage(lang: PageLanguage, status: 400 | 404): Page {
  return {
    status,
    lang,
    title: t(lang, 'confirmFailed.title'),
    brand: NEUTRAL_BRAND,
    content: html`<h1>${t(lang, 'confirmFailed.heading')}</h1>
<p>${t(lang, 'confirmFailed.text')}</p>`,
  };
}
