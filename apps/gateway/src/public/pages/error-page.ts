import type { ErrorBody } from '@clarion/contracts';
import { NEUTRAL_BRAND, type Brand } from './brand';
import { html } from './html';
import type { Page } from './layout';

const EXPLANATIONS: Record<number, { title: string; text: string }> = {
  429: { title: 'Please wait a minute', text: 'Too many requests came from your network in the last minute. Please try again in a minute.' },
  404: { title: 'Page not found', text: 'This page does not exist, or the link is incomplete or no longer valid. Check that you copied the whole link.' },
  503: { title: 'Please try again in a minute', text: 'We could not reach our service just now. Nothing was lost; please try again shortly.' },
};

/**
 * A friendly page with the status of the error. A 400 says what was wrong
 * (the message names the field); server errors say nothing internal.
 */
export function errorPage(error: ErrorBody, brand: Brand = NEUTRAL_BRAND): Page {
  const known = EXPLANATIONS[error.statusCode];
  const title = known?.title ?? (error.statusCode < 500 ? 'Something is not right' : 'Something went wrong');
  const text = known?.text ?? (error.statusCode < 500 ? `Please check: ${error.message}.` : 'Something went wrong on our side. Please try again later.');
  return {
    status: error.statusCode,
    lang: 'en',
    title,
    brand,
    content: html`<h1>${title}</h1>
<p>${text}</p>`,
  };
}
