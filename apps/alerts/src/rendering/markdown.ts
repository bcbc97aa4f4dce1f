import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

const markdownParser = new Marked({ gfm: true, breaks: false });

/**
 * Only what an alert needs. Everything else is dropped: marked passes raw HTML
 * through untouched, so the sanitiser is the actual safety boundary.
 */
const sanitizeOptions: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'strong', 'em', 'a', 'ul', 'ol', 'li', 'blockquote', 'h2', 'h3', 'h4', 'code', 'pre'],
  allowedAttributes: { a: ['href', 'rel'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    // An alert sits under its own title, so headings start one level down instead of losing their text.
    h1: 'h2',
    h5: 'h4',
    h6: 'h4',
    // Links open sites outside our control: they get no handle on the reader's page nor the referrer.
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'noopener noreferrer' } }),
  },
};

/** Markdown to the HTML that email and push show: rendered with marked, then sanitised to basic formatting. */
export function renderMarkdown(markdown: string): string {
  return sanitizeHtml(markdownParser.parse(markdown, { async: false }), sanitizeOptions).trim();
}
