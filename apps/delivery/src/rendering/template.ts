/**
 * Messages are rendered once per relay and language, then filled in per
 * recipient. A Template keeps the rendered text with holes (slots) for the
 * only per-recipient values; filling it is string concatenation, and no
 * recipient's value can end up in another's message.
 */

export type SlotName = 'unsubscribeUrl' | 'preferencesUrl' | 'deliveryId';
export type SlotValues = Readonly<Record<SlotName, string>>;

class Slot {
  constructor(readonly name: SlotName) {}
}

export const slot: Readonly<Record<SlotName, Slot>> = {
  unsubscribeUrl: new Slot('unsubscribeUrl'),
  preferencesUrl: new Slot('preferencesUrl'),
  deliveryId: new Slot('deliveryId'),
};

/** HTML that is already safe (sanitised upstream, or built here): inserted as is. */
export class TrustedHtml {
  constructor(readonly html: string) {}
}

type Part = string | Slot;

export class Template {
  private constructor(
    private readonly parts: readonly Part[],
    private readonly encodeSlot: (value: string) => string,
  ) {}

  /** Tag for HTML: plain strings are escaped, and so are slot values when filled. */
  static html(strings: TemplateStringsArray, ...values: (string | Slot | TrustedHtml | Template)[]): Template {
    return new Template(
      Template.join(strings, values, (value) => (value instanceof TrustedHtml ? value.html : typeof value === 'string' ? escapeHtml(value) : value)),
      escapeHtml,
    );
  }

  /** Tag for plain text: everything goes in as written. */
  static text(strings: TemplateStringsArray, ...values: (string | Slot | Template)[]): Template {
    return new Template(
      Template.join(strings, values, (value) => value),
      (value) => value,
    );
  }

  /** Nothing, for an optional part. */
  static readonly empty = new Template([], (value) => value);

  /** Throws if the template has a slot without a value: a message must never go out with a hole. */
  fill(values: Partial<SlotValues> = {}): string {
    return this.parts
      .map((part) => {
        if (typeof part === 'string') return part;
        const value = values[part.name];
        if (value === undefined) throw new Error(`no value for slot ${part.name}`);
        return this.encodeSlot(value);
      })
      .join('');
  }

  /** A nested template's parts, slots included, become the outer one's. */
  private static join<V>(strings: TemplateStringsArray, values: V[], toPart: (value: V) => Part | Template): Part[] {
    const parts: Part[] = [];
    strings.forEach((text, i) => {
      parts.push(text);
      if (i >= values.length) return;
      const part = toPart(values[i]);
      if (part instanceof Template) parts.push(...part.parts);
      else parts.push(part);
    });
    return parts;
  }
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]);
}
