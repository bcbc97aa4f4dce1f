import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '../../apps/console/src');
const catalogue = (language: string) => JSON.parse(readFileSync(join(root, 'i18n', `${language}.json`), 'utf8')) as Record<string, unknown>;
const PLURAL = /_(zero|one|two|few|many|other)$/;

function keys(tree: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'object' && value !== null ? keys(value as Record<string, unknown>, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}

/** A key as code asks for it: plural forms are one key (each language has its own set of forms). */
const asked = (key: string) => key.replace(PLURAL, '');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

describe('the console’s message catalogues', () => {
  const en = catalogue('en');
  const fr = catalogue('fr');

  it('have the same keys in English and French', () => {
    const enKeys = new Set(keys(en).map(asked));
    const frKeys = new Set(keys(fr).map(asked));
    expect([...enKeys].filter((k) => !frKeys.has(k))).toEqual([]);
    expect([...frKeys].filter((k) => !enKeys.has(k))).toEqual([]);
  });

  it('leave no message empty', () => {
    for (const tree of [en, fr]) {
      const empty = keys(tree).filter((key) => key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], tree) === '');
      expect(empty).toEqual([]);
    }
  });

  it('hold every key the screens ask for', () => {
    const sections = Object.keys(en).join('|');
    const literal = new RegExp(`['\`]((?:${sections})\\.[A-Za-z]+)['\`]`, 'g');
    const known = new Set(keys(en).map(asked));
    const missing = sources(root).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(literal)].map((m) => m[1]).filter((key) => !known.has(key)).map((key) => `${key} (${file})`),
    );
    expect(missing).toEqual([]);
  });
});
