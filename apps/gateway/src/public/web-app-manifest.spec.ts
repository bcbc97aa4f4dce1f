import type { PublicOrganisationView } from '@clarion/contracts';
import { organisationIcon, webAppManifest } from './web-app-manifest';

const org = (overrides: Partial<PublicOrganisationView> = {}): PublicOrganisationView => ({
  id: 'a'.repeat(24),
  name: 'Kenya Human Rights Commission',
  slug: 'khrc',
  languages: ['en'],
  branding: { colour: '#aa3300', senderName: 'KHRC' },
  vapidPublicKey: 'B'.repeat(87),
  topics: [],
  ...overrides,
});

describe('an organisation’s web app manifest', () => {
  it('opens on the join page and keeps to the organisation’s scope, the same as its service worker’s', () => {
    const manifest = webAppManifest(org());
    expect(manifest).toMatchObject({ id: '/join/khrc/', start_url: '/join/khrc/', scope: '/join/khrc/', display: 'standalone', theme_color: '#aa3300' });
    expect(manifest.start_url.startsWith(manifest.scope)).toBe(true);
    expect(manifest.short_name).toBe('Kenya Human…');
    expect(manifest.icons).toEqual([{ src: '/join/khrc/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }]);
  });

  it('puts an https logo first and leaves out anything else, and a hostile colour never reaches it', () => {
    expect(webAppManifest(org({ branding: { colour: '#aa3300', senderName: 'K', logoUrl: 'https://khrc.example.org/logo.png' } })).icons[0].src).toBe(
      'https://khrc.example.org/logo.png',
    );
    const hostile = webAppManifest(org({ branding: { colour: 'red;}</style><script>', senderName: 'K', logoUrl: 'javascript:alert(1)' } }));
    expect(hostile.icons).toHaveLength(1);
    expect(hostile.theme_color).toMatch(/^#[0-9a-f]{6}$/i);
  });

  it('draws the initial of any name safely into its SVG icon', () => {
    const icon = organisationIcon(org({ name: '<script>alert(1)</script>' }));
    expect(icon).toContain('>&lt;</text>');
    expect(icon).not.toContain('<script');
  });
});
