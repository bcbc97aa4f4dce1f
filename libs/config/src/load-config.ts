import { z } from 'zod';

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly problem: string,
  ) {
    super(`invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads the environment once into a typed object. The first bad variable
 * becomes a ConfigError whose message names it, so a failed boot says what to fix.
 */
export function loadConfig<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  // Empty strings count as unset, as docker-compose passes `VAR=` for blanks.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const result = schema.safeParse(present);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const variable = issue.path.map(String).join('.') || '(environment)';
  const given = present[variable];
  const shown = given === undefined ? '' : ` (got ${JSON.stringify(given.length > 80 ? `${given.slice(0, 80)}…` : given)})`;
  throw new ConfigError(variable, `${issue.message}${shown}`);
}

/** For main.ts: the typed config, or one line on stderr naming the bad variable and exit code 1. */
export function loadConfigOrExit<S extends z.ZodType>(service: string, schema: S): z.infer<S> {
  try {
    return loadConfig(schema);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${service}: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
