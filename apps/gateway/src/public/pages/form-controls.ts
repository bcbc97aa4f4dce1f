import { html, type SafeHtml } from './html';

/** Topics offered on every form; a supporter's own topics are shown too. Coalitions tag alerts with the same words. */
export const COMMON_TOPICS: Record<string, string> = {
  'civic-space': 'Civic space and freedom of association',
  climate: 'Climate',
  health: 'Health',
  humanitarian: 'Humanitarian crises',
};

/** A language named in itself ("français", "Kiswahili"), which is how people look for their own. */
export function languageName(code: string): string {
  try {
    return new Intl.DisplayNames([code], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

export function languageSelect(languages: readonly string[], selected: string | undefined): SafeHtml {
  return html`<label for="language">Language</label>
<select id="language" name="language" data-testid="language">
${languages.map((code) => html`<option value="${code}"${code === selected ? html` selected` : ''}>${languageName(code)}</option>`)}
</select>`;
}

export function topicCheckboxes(chosen: readonly string[]): SafeHtml {
  const offered = [...new Set([...Object.keys(COMMON_TOPICS), ...chosen])];
  return html`<fieldset class="topics">
<legend>Topics</legend>
<p class="hint" id="topics-hint">Choose what you care about, or none to hear about every alert.</p>
${offered.map(
  (topic, i) => html`<div class="choice"><input type="checkbox" id="topic-${i}" name="topics" value="${topic}" aria-describedby="topics-hint"${chosen.includes(topic) ? html` checked` : ''}>
<label for="topic-${i}">${COMMON_TOPICS[topic] ?? topic}</label></div>`,
)}
</fieldset>`;
}

/** The summary at the top of a form that failed, linked to the field it names (GOV.UK error summary pattern). */
export function problemSummary(problem: { message: string; field?: string } | undefined): SafeHtml | '' {
  if (!problem) return '';
  return html`<div class="problem" role="alert" tabindex="-1">
<h2>There is a problem</h2>
<p>${problem.field ? html`<a href="#${problem.field.split('.')[0]}">${problem.message}</a>` : problem.message}</p>
</div>`;
}
