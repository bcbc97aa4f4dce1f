import type { PublicOrganisationView } from '@clarion/contracts';
import { organisationBrand } from './brand';
import { languageSelect, problemSummary, topicCheckboxes } from './form-controls';
import { html } from './html';
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
  org: PublicOrganisationView,
  values: JoinFormValues = {},
  problem?: { message: string; field?: string },
): Page {
  const action = `/join/${org.slug}`;
  const scope = pushScopeOf(org.slug);
  const emailInvalid = problem?.field === 'email';
  return {
    status: problem ? 400 : 200,
    lang: 'en',
    title: 'Join',
    brand: organisationBrand(org),
    scripts: ['/static/join.js'],
    manifest: `${scope}manifest.webmanifest`,
    content: html`<h1>Stand with ${org.name}</h1>
<p>When civil society is under attack or a crisis breaks, ${org.name} sends you one short, urgent call to action.</p>
${problemSummary(problem)}
<form id="join-form" method="post" action="${action}" data-join-url="${action}" data-vapid-key="${org.vapidPublicKey}" data-sw-url="${scope}sw.js" data-sw-scope="${scope}" novalidate>
<label for="email">Email address</label>
<input id="email" name="email" type="email" autocomplete="email" inputmode="email" value="${values.email ?? ''}" data-testid="email"${emailInvalid ? html` aria-invalid="true"` : ''}>
${languageSelect(org.languages, values.language ?? org.languages[0])}
${topicCheckboxes(values.topics ?? [])}
<button type="submit" id="join-submit" class="primary" data-testid="join-submit">Join by email</button>
</form>
<section class="push" aria-labelledby="push-heading">
<h2 id="push-heading">Browser notifications</h2>
<p>Get alerts on this device even when this page is closed.</p>
<button type="button" id="push-button" data-testid="push-button" hidden>Turn on browser notifications</button>
<p id="push-status" data-testid="push-status" role="status" aria-live="polite"></p>
</section>
<p class="hint">We send you a link to confirm your email address. We keep a record of when and where you agreed, and every message has a one-click unsubscribe link.</p>`,
  };
}

/** After the form: what happens next for each channel the person chose. */
export function joinedPage(org: PublicOrganisationView, channels: { email: boolean; push: boolean }): Page {
  return {
    status: 200,
    lang: 'en',
    title: channels.email ? 'Check your email' : 'You have joined',
    brand: organisationBrand(org),
    content: html`<h1>${channels.email ? 'Check your email to confirm' : `You have joined ${org.name}’s alerts`}</h1>
${channels.email && html`<p>We have sent you an email. Open the link in it to confirm your address; until then we will not email you any alerts.</p>`}
${channels.push && html`<p>Browser notifications are on for this device.</p>`}
<p><a href="/join/${org.slug}">Back to ${org.name}’s page</a></p>`,
  };
}
