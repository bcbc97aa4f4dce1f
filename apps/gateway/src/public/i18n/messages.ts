import { IntlMessageFormat } from 'intl-messageformat';
import en from './en.json';
import es from './es.json';
import fr from './fr.json';
import pt from './pt.json';
import sw from './sw.json';

/**
 * The public pages' text, one JSON catalogue per language with ICU
 * MessageFormat strings (docs/decisions/0030). English is the source: every
 * catalogue has its keys (messages.spec.ts checks), so a key missing from one
 * is a test failure, not an English word on a French page.
 */
export const PAGE_LANGUAGES = ['en', 'fr', 'es', 'pt', 'sw'] as const;
export type PageLanguage = (typeof PAGE_LANGUAGES)[number];
export type MessageKey = keyof typeof en;

export const catalogues: Record<PageLanguage, Record<MessageKey, string>> = { en, fr, es, pt, sw };

const formats = new Map<string, IntlMessageFormat>();

/** The message in `lang`, its `{placeholders}` filled in; the result is text (the page templates escape it). */
export function t(lang: PageLanguage, key: MessageKey, values?: Record<string, string | number>): string {
  const id = `${lang}:${key}`;
  let format = formats.get(id);
  if (!format) {
    format = new IntlMessageFormat(catalogues[lang][key], lang);
    formats.set(id, format);
  }
  return String(format.format(values));
}

export const isPageLanguage = (value: unknown): value is PageLanguage => typeof value === 'string' && (PAGE_LANGUAGES as readonly string[]).includes(value);

/** At most this many Accept-Language entries are read: a header of thousands of them buys nothing. */
const MAX_ACCEPTED = 20;

/**
 * The page's language, first that applies: the language switch (`?lang=`, or
 * the form's hidden field), the supporter's own preference, the browser's
 * Accept-Language (by q, base language matching: fr-CA takes fr), English.
 */
export function pageLanguage(choice: { switchTo?: unknown; preferred?: string; acceptLanguage?: string }): PageLanguage {
  if (isPageLanguage(choice.switchTo)) return choice.switchTo;
  const preferred = choice.preferred?.toLowerCase().split('-')[0];
  if (isPageLanguage(preferred)) return preferred;
  return fromAcceptLanguage(choice.acceptLanguage) ?? 'en';
}

export function fromAcceptLanguage(header: string | undefined): PageLanguage | undefined {
  if (!header) return undefined;
  const ranked = header
    .split(',')
    .slice(0, MAX_ACCEPTED)
    .map((entry, index) => {
      const [tag, ...params] = entry.trim().split(';');
      const q = params.map((p) => /^\s*q=([01](?:\.\d{0,3})?)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { base: tag.trim().toLowerCase().split('-')[0], q: q === undefined ? 1 : Number(q), index };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranked.map((entry) => entry.base).find(isPageLanguage);
}
