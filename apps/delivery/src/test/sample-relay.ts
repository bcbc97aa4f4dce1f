import type { RelayContent } from '@clarion/contracts';
import { LinkSigner } from '@clarion/security';
import { MessageLinks } from '../rendering/message-links';

/** A relay in two languages with an organisation's intro and branding, for the rendering specs. */
export const sampleRelay: RelayContent = {
  relayId: 'a'.repeat(24),
  alertId: 'b'.repeat(24),
  alertVersion: 1,
  coalitionId: 'c'.repeat(24),
  orgId: 'd'.repeat(24),
  org: { name: 'Rights & Co', slug: 'rights-co', senderName: 'Rights <Co>', colour: '#ffcc00', logoUrl: 'https://rights.example.org/logo.png' },
  primaryLanguage: 'en',
  texts: {
    en: { title: 'Free the journalists', body: 'Call **today**.', bodyHtml: '<p>Call <strong>today</strong>.</p>', ctaLabel: 'Sign now' },
    fr: { title: 'Libérez les journalistes', body: 'Appelez **aujourd’hui**.', bodyHtml: '<p>Appelez <strong>aujourd’hui</strong>.</p>', ctaLabel: 'Signez' },
  },
  ctaUrl: 'https://coalition.example.org/act',
  intro: 'From all of us at Rights & Co:',
  urgency: 'critical',
  channels: ['email', 'push'],
};

export const testSigner = new LinkSigner('a-test-installation-secret-of-enough-length');
export const testLinks = new MessageLinks(testSigner, 'https://clarion.example.org/');
