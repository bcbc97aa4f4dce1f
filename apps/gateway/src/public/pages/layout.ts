import { brandColour, logoUrl, textColourOn, type Brand } from './brand';
import { isPageLanguage, PAGE_LANGUAGES, t } from '../i18n/messages';
import { languageName } from './form-controls';
import { html, type SafeHtml } from './html';

/** A public page before it is laid out: the responder adds the document around it. */
export interface Page {
  status: number;
  /** BCP 47 language of the page's text. */
  lang: string;
  title: string;
  brand: Brand;
  content: SafeHtml;
  /** Same-origin scripts, loaded deferred (the CSP allows no inline script). */
  scripts?: string[];
  /** The organisation's web app manifest, on its join page (installable, so iOS delivers its push). */
  manifest?: string;
  /** Links to this page in each language Clarion's pages speak (`?lang=`). */
  languageSwitch?: boolean;
}

/** The one inline style: the brand colours. */
export function brandStyle(brand: Brand): string {
  const colour = brandColour(brand);
  return `:root{--brand:${colour};--on-brand:${textColourOn(colour)}}`;
}

/**
 * The whole document. The brand colour is the one inline style, allowed by
 * its hash in the Content-Security-Policy (not a nonce, so the same page is
 * the same bytes every time: answers that must not differ do not).
 */
export function renderDocument(page: Page): string {
  const logo = logoUrl(page.brand);
  // An alert page is in the alert's language, which may be one the pages' own text is not in.
  const ui = isPageLanguage(page.lang) ? page.lang : 'en';
  return html`<!doctype html>
<html lang="${page.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${page.title} · ${page.brand.name}</title>
<link rel="stylesheet" href="/static/pages.css">
${page.manifest ? html`<link rel="manifest" href="${page.manifest}">` : ''}
<style>${brandStyle(page.brand)}</style>
</head>
<body>
<header class="masthead">${logo ? html`<img class="logo" src="${logo}" alt="">` : ''}<span class="org-name">${page.brand.name}</span></header>
<main class="card">
${page.content}
</main>
<footer class="footer">
${page.languageSwitch && html`<nav class="languages" aria-label="${t(ui, 'layout.languages')}"><p>${t(ui, 'layout.languages')}: ${PAGE_LANGUAGES.map((code, i) => html`${i > 0 ? ' · ' : ''}<a href="?lang=${code}" hreflang="${code}" lang="${code}"${code === ui ? html` aria-current="true"` : ''}>${languageName(code)}</a>`)}</p></nav>`}
<p>${t(ui, 'layout.footer')}</p></footer>
${(page.scripts ?? []).map((src) => html`<script src="${src}" defer></script>`)}
</body>
</html>
`.markup;
}
