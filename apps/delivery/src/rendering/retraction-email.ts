import type { RelayContent } from '@clarion/contracts';
import type { AlertContent } from './alert-content';
import type { AlertEmail } from './alert-email';
import { emailLayout } from './email-layout';
import { followUpStrings } from './follow-up-strings';
import { messageStrings } from './message-strings';
import { slot, Template } from './template';

/** The short notice that an alert a supporter received was withdrawn: no call to action, just what it was and why. */
export function retractionEmail(relay: RelayContent, content: AlertContent, reason: string | undefined): AlertEmail {
  const words = messageStrings(content.language);
  const follow = followUpStrings(content.language);
  const { org } = relay;
  const subject = `${follow.retractionPrefix}: ${content.title}`;
  const why = reason ? Template.html`<p>${follow.reason}: ${reason}</p>` : Template.empty;
  const body = Template.html`<h1 style="font-size:22px;line-height:1.3;margin:0 0 16px">${subject}</h1>
<p>${follow.retraction(org.name)}</p>
${why}`;
  const footer = Template.html`<p style="margin:0 0 8px">${words.whyYouGetThis(org.name)}</p>
<p style="margin:0"><a href="${slot.preferencesUrl}" style="color:#71717a">${words.preferences}</a> · <a href="${slot.unsubscribeUrl}" style="color:#71717a">${words.unsubscribe}</a></p>`;
  const whyText = reason ? Template.text`${follow.reason}: ${reason}\n\n` : Template.empty;
  const text = Template.text`${subject}

${follow.retraction(org.name)}

${whyText}--
${org.senderName}
${words.whyYouGetThis(org.name)}
${words.preferences}: ${slot.preferencesUrl}
${words.unsubscribe}: ${slot.unsubscribeUrl}
`;
  return { subject, html: emailLayout(content.language, org, subject, body, footer), text };
}
