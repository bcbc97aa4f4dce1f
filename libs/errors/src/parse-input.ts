import type { z } from 'zod';
import { Invalid } from './domain-errors';

/**
 * Parses with a zod schema, or throws Invalid naming the first bad field as a
 * dotted path (e.g. `texts.fr.title`), prefixed where the value sits in a larger body.
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, prefix?: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
  const path = [prefix, ...issue.path.map(String), ...(keys.length ? [keys[0]] : [])].filter(Boolean).join('.');
  const message = issue.code === 'unrecognized_keys' ? 'is not a known field' : issue.message;
  throw new Invalid(path ? `${path} ${message}` : message, path || undefined);
}
