import type { PublicOrganisationView } from '@clarion/contracts';
import { t, type PageLanguage } from '../i18n/messages';
import { html, type SafeHtml } from './html';

/** The topics a form offers: the organisation's coalitions' (PublicOrganisationView.topics). */
export type OfferedTopic = PublicOrganisationView['topics'][number];

/** A language named in itself ("français", "Kiswahili"), which is how people look for their own. */
export function languageName(code: string): string {
  try {
    return new Intl.DisplayNames([code], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

export function languageSelect(lang: PageLanguage, languages: readonly string[], selected: string | undefined): SafeHtml {
  return html`<label for="language">${t(lang, 'form.language')}</label>
<select id="language" name="language" data-testid="language">
${languages.map((code) => html`<option value="${code}"${code === selected ? html` selected` : ''}>${languageName(code)}</option>`)}
</select>`;
}

/**
 * The coalitions' topics, named in the page's language where the coalition
 * named them so; a supporter's own topics no longer offered still show, so
 * saving the form does not drop them unseen. Nothing to choose: no fieldset.
 */
export function topicCheckboxes(lang: PageLanguage, offered: readonly OfferedTopic[], chosen: readonly string[]): SafeHtml | '' {
  const labels = new Map(offered.map((topic) => [topic.id, topic.labels?.[lang] ?? topic.label]));
  const ids = [...new Set([...offered.map((topic) => topic.id), ...chosen])];
  if (ids.length === 0) return '';
  return html`<fieldset class="topics">
<legend>${t(lang, 'form.topics')}</legend>
<p class="hint" id="topics-hint">${t(lang, 'form.topicsHint')}</p>
${ids.map(
  (topic, i) => html`<div class="choice"><input type="checkbox" id="topic-${i}" name="topics" value="${topic}" aria-describedby="topics-hint"${chosen.includes(topic) ? html` checked` : ''}>
<label for="topic-${i}">${labels.get(topic) ?? topic}</label></div>`,
)}
</fieldset>`;
}

/** The summary at the top of a form that failed, linked to the field it names (GOV.UK error summary pattern). */
export function problemSummary(lang: PageLanguage, problem: { message: string; field?: string } | undefined): SafeHtml | '' {
  if (!problem) return '';
  return html`<div class="problem" role="alert" tabindex="-1">
<h2>${t(lang, 'form.problem')}</h2>
<p>${problem.field ? html`<a href="#${problem.field.split('.')[0]}">${problem.message}</a>` : problem.message}</p>
</div>`;
}
