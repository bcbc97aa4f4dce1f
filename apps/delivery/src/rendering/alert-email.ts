import type { RelayContent } from '@clarion/contracts';
import type { AlertContent } from './alert-content';
import { button, emailLayout } from './email-layout';
import { followUpStrings } from './follow-up-strings';
import { messageStrings } from './message-strings';
import { slot, Template, TrustedHtml } from './template';

/** An alert email for one relay and language; the unsubscribe and preferences links are slots. */
export interface AlertEmail {
  subject: string;
  html: Template;
  text: Template;
}

export interface AlertEmailLinks {
  click: string;
  view: string;
}

/** `update`: the alert corrected, to someone who received it before; marked as such in the subject and above the title. */
export function alertEmail(relay: RelayContent, content: AlertContent, links: AlertEmailLinks, update = false): AlertEmail {
  const words = messageStrings(content.language);
  const follow = followUpStrings(content.language);
  const { org } = relay;
  const subject = update ? `${follow.updatePrefix}: ${content.title}` : content.title;
  const notice = update ? Template.html`<p style="font-weight:bold;margin:0 0 16px">${follow.updateNotice}</p>` : Template.empty;
  const noticeText = update ? Template.text`${follow.updateNotice}

` : Template.empty;
  const intro = content.intro ? Template.html`<p style="font-style:italic">${content.intro}</p>` : Template.empty;
  const body = Template.html`<p style="font-size:12px;margin:0 0 16px"><a href="${links.view}" style="color:#71717a">${words.viewInBrowser}</a></p>
${notice}<h1 style="font-size:22px;line-height:1.3;margin:0 0 16px">${content.title}</h1>
${intro}${new TrustedHtml(content.bodyHtml)}
${button(links.click, content.ctaLabel, org.colour)}`;
  const footer = Template.html`<p style="margin:0 0 8px">${words.whyYouGetThis(org.name)}</p>
<p style="margin:0"><a href="${slot.preferencesUrl}" style="color:#71717a">${words.preferences}</a> · <a href="${slot.unsubscribeUrl}" style="color:#71717a">${words.unsubscribe}</a></p>`;

  const introText = content.intro ? Template.text`${content.intro}\n\n` : Template.empty;
  const text = Template.text`${noticeText}${content.title}

${introText}${content.bodyText}

${content.ctaLabel}: ${links.click}

--
${org.senderName}
${words.whyYouGetThis(org.name)}
${words.viewInBrowser}: ${links.view}
${words.preferences}: ${slot.preferencesUrl}
${words.unsubscribe}: ${slot.unsubscribeUrl}
`;
  return { subject, html: emailLayout(content.language, org, subject, body, footer), text };
}
