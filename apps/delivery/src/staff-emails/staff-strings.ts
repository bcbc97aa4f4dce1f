import type { StaffLanguage } from '@clarion/contracts';

/** The words of staff emails (sign-in, invitation, review and approval waiting), by language. */
export interface StaffStrings {
  hello: (name: string) => string;
  signInSubject: string;
  signInBody: string;
  signInButton: string;
  signInIgnore: string;
  linkOnce: (minutes: number) => string;
  invitationSubject: (scope: string) => string;
  invitationBody: (invitedBy: string, role: string, scope: string) => string;
  invitationLinkOnce: string;
  roles: Record<'admin' | 'coordinator' | 'org_admin' | 'org_editor', string>;
  network: string;
  reviewSubject: (title: string) => string;
  reviewReminderSubject: (title: string) => string;
  reviewBody: (org: string, title: string) => string;
  reviewDecidesItself: (minutes: number, onDeadline: 'approve' | 'drop') => string;
  reviewButton: string;
  approvalSubject: (title: string) => string;
  approvalBody: (requestedBy: string, title: string, coalition: string) => string;
  approvalButton: string;
  why: string;
}

const minutesEn = (n: number) => (n === 1 ? '1 minute' : `${n} minutes`);
const minutesFr = (n: number) => (n <= 1 ? `${n} minute` : `${n} minutes`);

const en: StaffStrings = {
  hello: (name) => `Hello ${name},`,
  signInSubject: 'Your sign-in link for Clarion',
  signInBody: 'Someone (we hope you) asked to sign in to Clarion with this address. Use the button below to sign in.',
  signInButton: 'Sign in',
  signInIgnore: 'If you did not ask for this, ignore this email: nobody can sign in without the link.',
  linkOnce: (minutes) => `The link works once, for ${minutesEn(minutes)}.`,
  invitationSubject: (scope) => `You are invited to ${scope} on Clarion`,
  invitationBody: (invitedBy, role, scope) => `${invitedBy} invited you to ${scope} as ${role}. Use the button below to sign in.`,
  invitationLinkOnce: 'The link works once, for three days. After that, ask for a new link on the sign-in page.',
  roles: { admin: 'network admin', coordinator: 'coordinator', org_admin: 'organisation admin', org_editor: 'editor' },
  network: 'the network',
  reviewSubject: (title) => `An alert waits for your review: ${title}`,
  reviewReminderSubject: (title) => `Reminder: an alert still waits for your review: ${title}`,
  reviewBody: (org, title) => `The alert “${title}” waits for ${org} to review it before it goes to your supporters.`,
  reviewDecidesItself: (minutes, onDeadline) =>
    `If nobody decides, it ${onDeadline === 'approve' ? 'is relayed to your supporters' : 'is dropped'} by itself in ${minutesEn(minutes)}.`,
  reviewButton: 'Review the alert',
  approvalSubject: (title) => `An alert waits for your approval: ${title}`,
  approvalBody: (requestedBy, title, coalition) => `${requestedBy} asks a second coordinator of ${coalition} to approve the alert “${title}” before it is published.`,
  approvalButton: 'Review and approve',
  why: 'You receive this because you have an account on Clarion.',
};

const fr: StaffStrings = {
  hello: (name) => `Bonjour ${name},`,
  signInSubject: 'Votre lien de connexion à Clarion',
  signInBody: 'Quelqu’un (vous, espérons-le) a demandé à se connecter à Clarion avec cette adresse. Utilisez le bouton ci-dessous pour vous connecter.',
  signInButton: 'Se connecter',
  signInIgnore: 'Si vous n’avez rien demandé, ignorez ce message : personne ne peut se connecter sans le lien.',
  linkOnce: (minutes) => `Le lien ne sert qu’une fois, pendant ${minutesFr(minutes)}.`,
  invitationSubject: (scope) => `Vous êtes invité·e à rejoindre ${scope} sur Clarion`,
  invitationBody: (invitedBy, role, scope) => `${invitedBy} vous invite à rejoindre ${scope} en tant que ${role}. Utilisez le bouton ci-dessous pour vous connecter.`,
  invitationLinkOnce: 'Le lien ne sert qu’une fois, pendant trois jours. Ensuite, demandez un nouveau lien sur la page de connexion.',
  roles: { admin: 'administrateur·rice du réseau', coordinator: 'coordinateur·rice', org_admin: 'administrateur·rice de l’organisation', org_editor: 'éditeur·rice' },
  network: 'le réseau',
  reviewSubject: (title) => `Une alerte attend votre relecture : ${title}`,
  reviewReminderSubject: (title) => `Rappel : une alerte attend toujours votre relecture : ${title}`,
  reviewBody: (org, title) => `L’alerte « ${title} » attend que ${org} la relise avant qu’elle parte vers vos sympathisant·es.`,
  reviewDecidesItself: (minutes, onDeadline) =>
    `Si personne ne décide, elle ${onDeadline === 'approve' ? 'sera relayée à vos sympathisant·es' : 'sera abandonnée'} d’elle-même dans ${minutesFr(minutes)}.`,
  reviewButton: 'Relire l’alerte',
  approvalSubject: (title) => `Une alerte attend votre approbation : ${title}`,
  approvalBody: (requestedBy, title, coalition) => `${requestedBy} demande à un·e autre coordinateur·rice de ${coalition} d’approuver l’alerte « ${title} » avant sa publication.`,
  approvalButton: 'Relire et approuver',
  why: 'Vous recevez ce message parce que vous avez un compte sur Clarion.',
};

const byLanguage: Record<StaffLanguage, StaffStrings> = { en, fr };

export const staffStrings = (language: StaffLanguage): StaffStrings => byLanguage[language] ?? en;
