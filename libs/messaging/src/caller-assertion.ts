import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import { BUS_SERVICES, principalSchema, requestAccess, type BusService, type Principal } from '@clarion/contracts';
import { signBytes, signingKey, verifyBytes, verifyingKey } from '@clarion/security';

/**
 * Who is asking, as the answering service can check it: a short-lived claim
 * signed by the calling service's NKey. `iss` is the calling service, `aud`
 * the request's subject (an assertion for one request cannot be replayed on
 * another), and `actor` the person or API token on whose behalf the gateway
 * asks. Only the gateway turns a token or session into an actor, so an actor
 * signed by any other service is refused (docs/security.md).
 */
export const ASSERTION_FIELD = 'assertion';
/** Long enough for a loaded machine and a little clock skew between hosts; short enough that a copied one goes stale at once. */
export const ASSERTION_TTL_MS = 30_000;
const CLOCK_SKEW_MS = 5_000;

const claimsSchema = z.strictObject({
  iss: z.enum(BUS_SERVICES as [BusService, ...BusService[]]),
  aud: z.string().min(1),
  iat: z.number().int(),
  exp: z.number().int(),
  actor: principalSchema.optional(),
});
export type CallerClaims = z.infer<typeof claimsSchema>;

export class CallerSigner {
  private readonly key: KeyObject;

  constructor(
    readonly service: BusService,
    seed: string,
    private readonly now: () => number = Date.now,
  ) {
    this.key = signingKey(seed);
  }

  sign(subject: string, actor?: Principal): string {
    const iat = this.now();
    const claims: CallerClaims = { iss: this.service, aud: subject, iat, exp: iat + ASSERTION_TTL_MS, ...(actor ? { actor } : {}) };
    const body = Buffer.from(JSON.stringify(claims));
    return `${body.toString('base64url')}.${signBytes(this.key, body).toString('base64url')}`;
  }
}

/** Why an assertion was refused: logged by the answering service, never sent back in detail. */
export class AssertionRefused extends Error {}

export class CallerVerifier {
  private readonly keys: Map<BusService, KeyObject>;

  constructor(
    publicKeys: Record<BusService, string>,
    private readonly now: () => number = Date.now,
  ) {
    this.keys = new Map(BUS_SERVICES.map((service) => [service, verifyingKey(publicKeys[service])]));
  }

  /** The checked claims of a request on `subject`, or AssertionRefused saying why not. */
  verify(assertion: unknown, subject: string): CallerClaims {
    if (typeof assertion !== 'string') throw new AssertionRefused('no caller assertion');
    const [body, signature, extra] = assertion.split('.');
    if (!body || !signature || extra !== undefined) throw new AssertionRefused('malformed caller assertion');
    const bytes = Buffer.from(body, 'base64url');
    let raw: unknown;
    try {
      raw = JSON.parse(bytes.toString('utf8'));
    } catch {
      throw new AssertionRefused('malformed caller assertion');
    }
    const parsed = claimsSchema.safeParse(raw);
    if (!parsed.success) throw new AssertionRefused('malformed caller assertion');
    const claims = parsed.data;
    if (!verifyBytes(this.keys.get(claims.iss)!, bytes, Buffer.from(signature, 'base64url'))) {
      throw new AssertionRefused(`caller assertion not signed by ${claims.iss}`);
    }
    if (claims.aud !== subject) throw new AssertionRefused(`caller assertion is for ${claims.aud}, not ${subject}`);
    const now = this.now();
    if (claims.exp < now - CLOCK_SKEW_MS || claims.iat > now + CLOCK_SKEW_MS) throw new AssertionRefused('caller assertion expired');
    const access = requestAccess[subject];
    if (!access) throw new AssertionRefused(`no contract for ${subject}`);
    if (!access.callers.includes(claims.iss)) throw new AssertionRefused(`${claims.iss} may not call ${subject}`);
    if (claims.actor && claims.iss !== 'gateway') throw new AssertionRefused(`${claims.iss} may not assert an actor`);
    return claims;
  }
}
