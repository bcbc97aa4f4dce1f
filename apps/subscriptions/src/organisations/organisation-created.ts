import { Injectable } from '@nestjs/common';

type Listener = (orgId: string) => Promise<unknown>;

/**
 * Tells the features built on organisations that one was created, before the
 * create request answers: its sender identity makes the organisation's keys.
 * Organisations so need not import what depends on them (docs/decisions/0035).
 * A listener that throws fails the create, as the direct call it replaces did.
 */
@Injectable()
export class OrganisationCreated {
  private readonly listeners: Listener[] = [];

  /** From a provider's onModuleInit: every listener is in place before the first request. */
  listen(listener: Listener): void {
    this.listeners.push(listener);
  }

  async announce(orgId: string): Promise<void> {
    for (const listener of this.listeners) await listener(orgId);
  }
}
