import type { RelayContent } from '@clarion/contracts';
import { htmlToText } from './html-text';

/** One language's text of a relay, as every message in that language shows it. */
export interface AlertContent {
  language: string;
  title: string;
  /** The organisation's own line above the alert. */
  intro?: string;
  /** Sanitised by the alerts service when the alert was written. */
  bodyHtml: string;
  bodyText: string;
  ctaLabel: string;
}

/** The supporter's language, else its base language (pt for pt-br), else the relay's primary language. */
export function shownLanguage(relay: RelayContent, requested: string): string {
  const language = [requested, requested.split('-')[0], relay.primaryLanguage].find((candidate) => candidate in relay.texts);
  if (!language) throw new Error(`relay ${relay.relayId} has no text in its primary language ${relay.primaryLanguage}`);
  return language;
}

export function alertContent(relay: RelayContent, language: string): AlertContent {
  const text = relay.texts[language];
  return {
    language,
    title: text.title,
    intro: relay.intro?.trim() || undefined,
    bodyHtml: text.bodyHtml,
    bodyText: htmlToText(text.bodyHtml),
    ctaLabel: text.ctaLabel,
  };
}
