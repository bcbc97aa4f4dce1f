import type { PublicOrganisationView } from '@clarion/contracts';
import { brandColour, logoUrl, organisationBrand, textColourOn } from './pages/brand';
import { escapeHtml } from './pages/html';
import { pushScopeOf } from './pages/join-page';

export interface WebAppManifest {
  id: string;
  name: string;
  short_name: string;
  description: string;
  start_url: string;
  scope: string;
  display: 'standalone';
  background_color: string;
  theme_color: string;
  icons: { src: string; sizes: string; type?: string; purpose?: string }[];
}

/** Home screens show about this many characters under an icon. */
const SHORT_NAME_LENGTH = 12;

/**
 * An organisation's web app manifest. Installed from its join page, the app
 * opens on that page (start_url) and is the organisation's scope, the same
 * as its service worker's: on iOS, web push reaches only installed apps.
 * Icons: the organisation's logo when it has one (https), and always its
 * initial on its colour, an SVG any size.
 */
export function webAppManifest(org: PublicOrganisationView): WebAppManifest {
  const scope = pushScopeOf(org.slug);
  const brand = organisationBrand(org);
  const logo = logoUrl(brand);
  return {
    id: scope,
    name: org.name,
    short_name: org.name.length <= SHORT_NAME_LENGTH ? org.name : `${org.name.slice(0, SHORT_NAME_LENGTH - 1).trimEnd()}…`,
    description: `Urgent calls to action from ${org.name}`,
    start_url: scope,
    scope,
    display: 'standalone',
    background_color: '#ffffff',
    theme_color: brandColour(brand),
    icons: [
      ...(logo ? [{ src: logo, sizes: 'any', purpose: 'any' }] : []),
      { src: `${scope}icon.svg`, sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
    ],
  };
}

/** A square with the organisation's initial, white or black on its colour, whichever reads better. */
export function organisationIcon(org: PublicOrganisationView): string {
  const colour = brandColour(organisationBrand(org));
  const initial = escapeHtml((org.name.trim()[0] ?? '?').toUpperCase());
  const text = textColourOn(colour);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512"><rect width="512" height="512" rx="96" fill="${colour}"/><text x="256" y="340" font-family="sans-serif" font-size="280" font-weight="700" text-anchor="middle" fill="${text}">${initial}</text></svg>`;
}
