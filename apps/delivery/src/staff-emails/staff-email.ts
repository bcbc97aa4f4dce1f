import type { StaffEmail } from '@clarion/contracts';
import { button, emailLayout } from '../rendering/email-layout';
import { Template } from '../rendering/template';
import { staffStrings } from './staff-strings';

/** Staff emails come from the network, in its neutral colours. */
const NETWORK_BRAND = { senderName: 'Clarion', colour: '#1f4e79' };
const SIGN_IN_LINK_MINUTES = 15;

export interface RenderedStaffEmail {
  subject: string;
  html: string;
  text: string;
  /** The one link of the email (for the logs' absence of it, and the tests). */
  link: string;
}

const base = (publicBaseUrl: string) => publicBaseUrl.replace(/\/+$/, '');

/** The sign-in page with the secret in the fragment: browsers never send a fragment to a server, nor in a Referer. */
export const signInLink = (publicBaseUrl: string, token: string) => `${base(publicBaseUrl)}/console/sign-in#token=${token}`;

/** One staff email, in the recipient's language; `now` sets the minutes left before a review decides itself. */
export function renderStaffEmail(email: StaffEmail, publicBaseUrl: string, now: Date): RenderedStaffEmail {
  const words = staffStrings(email.language);
  const { message } = email;
  let subject: string;
  let paragraphs: string[];
  let link: string;
  let label: string;
  switch (message.kind) {
    case 'sign-in':
      subject = words.signInSubject;
      paragraphs = [words.signInBody, words.linkOnce(SIGN_IN_LINK_MINUTES), words.signInIgnore];
      link = signInLink(publicBaseUrl, message.token);
      label = words.signInButton;
      break;
    case 'invitation': {
      const scope = message.scopeName ?? words.network;
      subject = words.invitationSubject(scope);
      paragraphs = [words.invitationBody(message.invitedBy, words.roles[message.role], scope), words.invitationLinkOnce];
      link = signInLink(publicBaseUrl, message.token);
      label = words.signInButton;
      break;
    }
    case 'review-waiting':
    case 'review-reminder': {
      const minutes = Math.max(0, Math.ceil((Date.parse(message.deadline) - now.getTime()) / 60_000));
      subject = message.kind === 'review-waiting' ? words.reviewSubject(message.alertTitle) : words.reviewReminderSubject(message.alertTitle);
      paragraphs = [words.reviewBody(message.orgName, message.alertTitle), words.reviewDecidesItself(minutes, message.onDeadline)];
      link = `${base(publicBaseUrl)}/console/orgs/${message.orgId}/relays/${message.relayId}`;
      label = words.reviewButton;
      break;
    }
    case 'approval-waiting':
      subject = words.approvalSubject(message.alertTitle);
      paragraphs = [words.approvalBody(message.requestedBy, message.alertTitle, message.coalitionName)];
      link = `${base(publicBaseUrl)}/console/coalitions/${message.coalitionId}/alerts/${message.alertId}`;
      label = words.approvalButton;
      break;
  }
  const [first, ...rest] = paragraphs;
  const content = Template.html`<h1 style="font-size:22px;line-height:1.3;margin:16px 0">${subject}</h1>
<p>${words.hello(email.name)}</p>
<p>${first}</p>
${button(link, label, NETWORK_BRAND.colour)}
${rest.reduce((before, paragraph) => Template.html`${before}<p>${paragraph}</p>`, Template.empty)}`;
  const footer = Template.html`<p style="margin:0">${words.why}</p>`;
  const text = [words.hello(email.name), '', first, '', `${label}: ${link}`, '', ...rest.flatMap((p) => [p, '']), '--', words.why, ''].join('\n');
  return { subject, html: emailLayout(email.language, NETWORK_BRAND, subject, content, footer).fill(), text, link };
}
