import { Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { NatsContext } from '@nestjs/microservices';
import { Unauthenticated } from '@clarion/errors';
import { AssertionRefused, ASSERTION_FIELD, CallerVerifier } from './caller-assertion';

/**
 * Every NATS request a service answers passes here first: its caller
 * assertion must be signed by a service that may call the subject, for this
 * subject, and fresh. The actor a handler sees is the one the gateway signed
 * into it; an `actor` sent as a plain field is refused, whoever sends it.
 * HTTP (health) is not its business.
 */
@Injectable()
export class CallerGuard implements CanActivate {
  private readonly logger = new Logger('CallerGuard');

  constructor(private readonly verifier: CallerVerifier) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'rpc') return true;
    const rpc = context.switchToRpc();
    const subject = rpc.getContext<NatsContext>().getSubject();
    const data = rpc.getData<Record<string, unknown> | undefined>();
    try {
      if (!data || typeof data !== 'object') throw new AssertionRefused('payload is not an object');
      if ('actor' in data) throw new AssertionRefused('an actor may only come signed in the caller assertion');
      const claims = this.verifier.verify(data[ASSERTION_FIELD], subject);
      delete data[ASSERTION_FIELD];
      if (claims.actor) data.actor = claims.actor;
      return true;
    } catch (error) {
      if (!(error instanceof AssertionRefused)) throw error;
      this.logger.warn({ subject, reason: error.message }, 'request refused');
      throw new Unauthenticated('request refused: no valid caller assertion');
    }
  }
}
