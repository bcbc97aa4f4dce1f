import type { z } from 'zod';
import type { confirmationEmailV1 } from '@clarion/contracts';
import { button, emailLayout } from './email-layout';
import { messageStrings } from './message-strings';
import { Template } from './template';

type ConfirmationRequest = z.infer<typeof confirmationEmailV1>;

/** The double opt-in email, in the organisation's colours and the supporter's language. */
export function confirmationEmail(request: ConfirmationRequest): { subject: string; html: string; text: string } {
  const words = messageStrings(request.language);
  const { org } = request;
  const subject = words.confirmSubject(org.name);
  const content = Template.html`<h1 style="font-size:22px;line-height:1.3;margin:16px 0">${subject}</h1>
<p>${words.confirmRequest(org.name)}</p>
${button(request.confirmUrl, words.confirmButton, org.colour)}`;
  const footer = Template.html`<p style="margin:0">${words.confirmIgnore}</p>`;
  const text = Template.text`${words.confirmRequest(org.name)}

${words.confirmButton}: ${request.confirmUrl}

${words.confirmIgnore}

--
${org.senderName}
`;
  return { subject, html: emailLayout(request.language, org, subject, content, footer).fill(), text: text.fill() };
}
