import type { ErrorBody } from '@clarion/contracts';
import { t, type MessageKey, type PageLanguage } from '../i18n/messages';
import { NEUTRAL_BRAND, type Brand } from './brand';
import { html } from './html';
import type { Page } from './layout';

/** Statuses with their own explanation in the catalogues (`error.<status>.title` and `.text`). */
const EXPLAINED = new Set([429, 404, 503]);

/**
 * A friendly page with the status of the error. A 400 says what was wrong
 * (the message names the field); server errors say nothing internal.
 */
export function errorPage(error: ErrorBody, brand: Brand = NEUTRAL_BRAND, lang: PageLanguage = 'en'): Page {
  const kind = EXPLAINED.has(error.statusCode) ? String(error.statusCode) : error.statusCode < 500 ? 'client' : 'server';
  const title = t(lang, `error.${kind}.title` as MessageKey);
  const text = t(lang, `error.${kind}.text` as MessageKey, { message: error.message });
  return {
    status: error.statusCode,
    lang,
    title,
    brand,
    content: html`<h1>${title}</h1>
<p>${text}</p>`,
  };
}
