import type { PublicOrganisationView } from '@clarion/contracts';

/** How a page looks: the organisation's name, colour and logo. */
export interface Brand {
  name: string;
  colour: string;
  logoUrl?: string;
}

export function organisationBrand(org: Pick<PublicOrganisationView, 'name' | 'branding'>): Brand {
  return { name: org.name, colour: org.branding.colour, logoUrl: org.branding.logoUrl };
}

/** Pages reached without knowing the organisation (a bad link, an unknown page) look like Clarion itself. */
export const NEUTRAL_BRAND: Brand = { name: 'Clarion', colour: '#1f4e79' };

const HEX_COLOUR = /^#[0-9a-fA-F]{6}$/;

/**
 * The colour goes into a <style> block, where HTML escaping protects
 * nothing: anything but a plain hex colour falls back to the neutral one.
 */
export function brandColour(brand: Brand): string {
  return HEX_COLOUR.test(brand.colour) ? brand.colour : NEUTRAL_BRAND.colour;
}

/** Black or white, whichever reads better on the brand colour (WCAG relative luminance). */
export function textColourOn(hex: string): '#000000' | '#ffffff' {
  const channel = (offset: number) => {
    const value = parseInt(hex.slice(offset, offset + 2), 16) / 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  // Contrast with white is 1.05/(L+0.05), with black (L+0.05)/0.05; they are equal at L ≈ 0.179.
  return luminance > 0.179 ? '#000000' : '#ffffff';
}

/** Logos are shown only from https URLs (the directory accepts nothing else; this keeps old or odd data out). */
export function logoUrl(brand: Brand): string | undefined {
  if (!brand.logoUrl) return undefined;
  try {
    return new URL(brand.logoUrl).protocol === 'https:' ? brand.logoUrl : undefined;
  } catch {
    return undefined;
  }
}
