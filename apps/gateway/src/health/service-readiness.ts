import { Injectable } from '@nestjs/common';
import { Unavailable } from '@clarion/errors';
import type { RpcGate } from '@clarion/messaging';

/**
 * What the gateway last heard from each service about its own readiness (its
 * NATS link and its database), consulted before every request to it: while a
 * service is known not to be ready, a request that needs it is answered 503
 * at once instead of waiting out the RPC timeout on a database that is away.
 * Health and ping always go through: they are how readiness comes back.
 * Fed by ReadinessWatch; a service never heard from counts as ready.
 */
@Injectable()
export class ServiceReadiness implements RpcGate {
  private readonly notReady = new Map<string, string>();

  /**
   * Only the service's own word counts (its report names its components): one
   * that did not answer the check in time may just be busy, and requests to it
   * keep their own timeout.
   */
  record(service: string, report: { status: 'up' | 'down'; components?: Record<string, { status: 'up' | 'down'; detail?: string }> }): void {
    if (report.status === 'up' || !report.components) {
      this.notReady.delete(service);
      return;
    }
    const down = Object.entries(report.components).filter(([, component]) => component.status !== 'up');
    this.notReady.set(service, down.map(([name, component]) => `${name}: ${component.detail ?? 'down'}`).join('; ') || 'down');
  }

  assertReady(subject: string): void {
    const [service, kind] = subject.split('.');
    if (kind === 'system') return;
    const reason = this.notReady.get(service);
    if (reason !== undefined) throw new Unavailable(`${service} is not ready (${reason}); try again shortly`);
  }
}
