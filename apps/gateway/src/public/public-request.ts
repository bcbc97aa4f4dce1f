import type { Request } from 'express';
import { pageLanguage, type PageLanguage } from './i18n/messages';
import type { z } from 'zod';
import type { consentContextSchema } from '@clarion/contracts';

type ConsentContext = z.infer<typeof consentContextSchema>;

/** A page's public address, as people (and consent records) see it. */
export function publicUrl(publicBaseUrl: string, path: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}${path}`;
}

/**
 * Where and how a person gave or withdrew consent, kept with the consent
 * record. The source never contains a link token.
 */
export function consentContext(req: Request, source: string): ConsentContext {
  const userAgent = req.get('user-agent');
  return {
    ...(req.ip ? { ip: req.ip.slice(0, 64) } : {}),
    ...(userAgent ? { userAgent: userAgent.slice(0, 500) } : {}),
    source: source.slice(0, 500),
  };
}

/** Form posts give one value as a string and several as an array; JSON gives arrays. */
export function formList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return typeof value === 'string' && value !== '' ? [value] : [];
}

export function formText(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** JSON callers (the join script, API clients) get JSON answers; everyone else gets pages. */
export function wantsJson(req: Request): boolean {
  return req.is('application/json') === 'application/json';
}

/** A public page's language: the switch (`?lang=`, or the join form's hidden `ui` field), else the browser's Accept-Language. */
export function languageOf(req: Pick<Request, 'query' | 'get'>, formChoice?: unknown): PageLanguage {
  return pageLanguage({ switchTo: formChoice ?? req.query?.lang, acceptLanguage: req.get('accept-language') });
}
