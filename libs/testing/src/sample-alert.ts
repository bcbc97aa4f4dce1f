/**
 * The crisis call the demo and the benchmark publish: an alert's create body
 * (POST /api/v1/coalitions/:id/alerts) in three languages, so supporters in
 * French and Swahili get their own and everyone else the English.
 */
export const SAMPLE_CRISIS_ALERT = {
  primaryLanguage: 'en',
  texts: {
    en: { title: 'Stand with the Kenya Human Rights Commission', body: 'Its accounts were **frozen** this morning. Add your name.', ctaLabel: 'Sign the letter' },
    fr: { title: 'Solidarité avec la KHRC', body: 'Ses comptes ont été **gelés** ce matin. Ajoutez votre nom.', ctaLabel: 'Signez la lettre' },
    sw: { title: 'Simama na KHRC', body: 'Akaunti zake **zimefungwa** leo asubuhi. Ongeza jina lako.', ctaLabel: 'Saini barua' },
  },
  ctaUrl: 'https://example.org/act/khrc',
  urgency: 'critical',
} as const;
