/**
 * How many SMS parts a text costs (3GPP TS 23.038 alphabets, TS 23.040
 * concatenation). Providers bill per part, and a text in GSM-7 fits more than
 * twice the characters of one in UCS-2, which a single character outside the
 * GSM alphabet (’ or ê) forces on the whole text.
 */

/** The GSM 03.38 default alphabet, one septet each (ESC, 0x1B, is left out: it leads the extension table). */
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
/** The extension table: ESC and the character, two septets each. */
const GSM_EXTENDED = new Set('^{}\\[~]|€\f');

/** One part alone, and each part of a concatenated message (its header takes the rest). */
const LIMITS = {
  'GSM-7': { single: 160, multi: 153 },
  'UCS-2': { single: 70, multi: 67 },
} as const;

export type SmsEncoding = keyof typeof LIMITS;

export interface SmsMeasure {
  encoding: SmsEncoding;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  units: number;
  segments: number;
}

/**
 * Typography people paste into titles, and its GSM-7 twin. Without this one
 * curly apostrophe would halve what every part holds (as Twilio's "smart
 * encoding" does for the same reason).
 */
const PLAIN_TWINS: Record<string, string> = {
  '‘': "'", '’': "'", '‚': "'", '′': "'",
  '“': '"', '”': '"', '„': '"', '″': '"', '«': '"', '»': '"',
  '–': '-', '—': '-', '‐': '-', '‑': '-', '−': '-',
  '…': '...', '\u00a0': ' ', '\u2009': ' ', '\u202f': ' ', '\u200b': '',
};
const TYPOGRAPHY = new RegExp(`[${Object.keys(PLAIN_TWINS).join('')}]`, 'g');

/** The text with typographic quotes, dashes, ellipses and odd spaces made plain. */
export function plainTypography(text: string): string {
  return text.replace(TYPOGRAPHY, (char) => PLAIN_TWINS[char]);
}

export function measureSms(text: string): SmsMeasure {
  const costs = unitCosts(text);
  const encoding = costs.encoding;
  const units = costs.units.reduce((sum, cost) => sum + cost, 0);
  const { single, multi } = LIMITS[encoding];
  if (units <= single) return { encoding, units, segments: units === 0 ? 0 : 1 };
  // A character is never split across parts (an escape pair, a surrogate pair), so parts are filled one character at a time.
  let segments = 1;
  let used = 0;
  for (const cost of costs.units) {
    if (used + cost > multi) {
      segments += 1;
      used = 0;
    }
    used += cost;
  }
  return { encoding, units, segments };
}

/** The largest number of whole characters of `text`, from its start, for which `fits` holds (binary search: fits must be monotonic). */
export function longestFit(text: string, fits: (prefix: string) => boolean): string {
  const characters = Array.from(text);
  let low = 0;
  let high = characters.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (fits(characters.slice(0, middle).join(''))) low = middle;
    else high = middle - 1;
  }
  return characters.slice(0, low).join('');
}

/** Each character's cost in the encoding the whole text needs. */
function unitCosts(text: string): { encoding: SmsEncoding; units: number[] } {
  const characters = Array.from(text);
  const gsm: number[] = [];
  for (const char of characters) {
    if (GSM_BASIC.has(char)) gsm.push(1);
    else if (GSM_EXTENDED.has(char)) gsm.push(2);
    else return { encoding: 'UCS-2', units: characters.map((char) => char.length) };
  }
  return { encoding: 'GSM-7', units: gsm };
}
