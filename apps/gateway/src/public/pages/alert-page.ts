import type { PublicRelayView } from '@clarion/contracts';
import { html, trustedHtml } from './html';
import type { Page } from './layout';

/** open: the call to action stands; withdrawn: the coalition cancelled it; ended: it expired. */
export type AlertPageState = 'open' | 'withdrawn' | 'ended';

/**
 * The alert as the organisation relayed it. `bodyHtml` was rendered from
 * Markdown and sanitised by the alerts service, so it goes in as it is;
 * everything else is escaped.
 */
export function alertPage(view: PublicRelayView, state: AlertPageState, ctaPath: string): Page {
  return {
    status: 200,
    lang: view.language,
    title: view.title,
    brand: { name: view.org.name, colour: view.org.colour, logoUrl: view.org.logoUrl },
    content: html`<article class="alert urgency-${view.urgency}">
${view.intro && html`<p class="intro">${view.intro}</p>`}
<h1>${view.title}</h1>
${state === 'withdrawn' && html`<p class="notice" role="status" lang="en">This alert has been withdrawn. No action is needed any more.</p>`}
${state === 'ended' && html`<p class="notice" role="status" lang="en">This call to action has ended.</p>`}
<div class="body">${trustedHtml(view.bodyHtml)}</div>
${state === 'open' && html`<p><a class="button primary" id="cta" data-testid="cta" href="${ctaPath}">${view.ctaLabel}</a></p>`}
</article>`,
  };
}
