import { Template } from './template';

export interface Branding {
  senderName: string;
  colour: string;
  logoUrl?: string;
}

const FALLBACK_COLOUR = '#1f2937';

/** The organisation's frame around any email: its colour, logo and name on top, a footer below. */
export function emailLayout(language: string, brand: Branding, title: string, content: Template, footer: Template): Template {
  const colour = brandColour(brand.colour);
  const logo = isWebUrl(brand.logoUrl)
    ? Template.html`<img src="${brand.logoUrl}" alt="" height="32" style="height:32px;vertical-align:middle;margin-right:12px;border:0">`
    : Template.empty;
  return Template.html`<!doctype html>
<html lang="${language}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head>
<body style="margin:0;padding:0;background:#f4f4f5">
<div style="max-width:600px;margin:0 auto;background:#ffffff;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#18181b">
<div style="background:${colour};color:${readableOn(colour)};padding:16px 24px;font-weight:bold">${logo}${brand.senderName}</div>
<div style="padding:8px 24px 24px">${content}</div>
<div style="padding:16px 24px;border-top:1px solid #e4e4e7;font-size:12px;color:#71717a">${footer}</div>
</div>
</body>
</html>
`;
}

/** A button in the organisation's colour. */
export function button(href: string, label: string, colour: string): Template {
  const background = brandColour(colour);
  return Template.html`<p style="margin:24px 0"><a href="${href}" style="display:inline-block;background:${background};color:${readableOn(background)};padding:12px 20px;border-radius:4px;text-decoration:none;font-weight:bold">${label}</a></p>`;
}

/** Only a plain hex colour reaches a style attribute. */
function brandColour(colour: string): string {
  return /^#[0-9a-f]{6}$/i.test(colour) ? colour : FALLBACK_COLOUR;
}

/** Black or white text, whichever reads better on the background (WCAG relative luminance). */
function readableOn(hex: string): string {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const channel = parseInt(hex.slice(i, i + 2), 16) / 255;
    return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.179 ? '#000000' : '#ffffff';
}

function isWebUrl(url: string | undefined): url is string {
  if (!url) return false;
  try {
    return ['https:', 'http:'].includes(new URL(url).protocol);
  } catch {
    return false;
  }
}
