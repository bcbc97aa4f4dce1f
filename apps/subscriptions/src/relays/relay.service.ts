import { Injectable } from '@nestjs/common';
import { coordinates, isAdmin, worksFor, type AlertRelayView, type Principal, type RelayCountsView, type RelayView } from '@clarion/contracts';
import { Conflict, Forbidden, NotFound } from '@clarion/errors';
import type { RelayRequest } from '../common/requests';
import type { RelayDecision } from './relay-policy';
import { OrganisationRepository } from '../organisations/organisation.repository';
import { RelayOutbox } from './relay-outbox';
import { RelayRepository } from './relay.repository';
import { toAlertRelayView, toRelayView } from './relay.view';

/** The contract has no paging yet; an organisation's newest relays are its review queue. */
const LIST_LIMIT = 200;

/** What editors and coordinators ask about relays. */
@Injectable()
export class RelayService {
  constructor(
    private readonly relays: RelayRepository,
    private readonly outbox: RelayOutbox,
    private readonly organisations: OrganisationRepository,
  ) {}

  async list({ actor, orgId, status }: RelayRequest<'list'>): Promise<RelayView[]> {
    if (!isAdmin(actor) && !worksFor(actor, orgId)) throw new Forbidden("only the organisation's own people may see its relays");
    return (await this.relays.listForOrg(orgId, status, LIST_LIMIT)).map(toRelayView);
  }

  approve({ actor, orgId, relayId, input }: RelayRequest<'approve'>): Promise<RelayView> {
    assertMayReview(actor, orgId);
    return this.decide(orgId, relayId, { status: 'approved', decidedBy: 'editor', intro: input.intro, ctaUrl: input.ctaUrl });
  }

  decline({ actor, orgId, relayId, input }: RelayRequest<'decline'>): Promise<RelayView> {
    assertMayReview(actor, orgId);
    return this.decide(orgId, relayId, { status: 'declined', decidedBy: 'editor', declineReason: input.reason });
  }

  /** Aggregates only: a coalition never sees an organisation's supporters. */
  async counts({ actor, alertId, coalitionId }: RelayRequest<'counts'>): Promise<RelayCountsView> {
    if (!isAdmin(actor) && !coordinates(actor, coalitionId)) throw new Forbidden("only the coalition's coordinator may see its relay counts");
    const byStatus = await this.relays.countByStatus(coalitionId, alertId);
    const pending = byStatus.pending ?? 0;
    const approved = byStatus.approved ?? 0;
    const declined = byStatus.declined ?? 0;
    const cancelled = byStatus.cancelled ?? 0;
    return { alertId, organisations: pending + approved + declined + cancelled, pending, approved, declined, cancelled };
  }

  /** Each organisation's relay and decision, by organisation name: no supporter, no intro, nothing of the organisation's own. */
  async listForAlert({ actor, alertId, coalitionId }: RelayRequest<'listForAlert'>): Promise<AlertRelayView[]> {
    if (!isAdmin(actor) && !coordinates(actor, coalitionId)) throw new Forbidden("only the coalition's coordinators may see its relays");
    const relays = await this.relays.listForAlert(coalitionId, alertId);
    const orgs = await this.organisations.listByIds([...new Set(relays.map((relay) => relay.orgId))]);
    const names = new Map(orgs.map((org) => [org._id.toHexString(), org.name]));
    return relays
      .map((relay) => toAlertRelayView(relay, names.get(relay.orgId) ?? ''))
      .sort((a, b) => a.orgName.localeCompare(b.orgName) || a.orgId.localeCompare(b.orgId));
  }

  private async decide(orgId: string, relayId: string, decision: RelayDecision): Promise<RelayView> {
    const decided = await this.relays.decidePending(orgId, relayId, decision);
    if (!decided) {
      const current = await this.relays.findInOrg(orgId, relayId);
      if (!current) throw new NotFound('relay not found', 'relayId');
      throw new Conflict(`relay is ${current.status}`, 'relayId');
    }
    await this.outbox.publish(decided);
    return toRelayView(decided);
  }
}

function assertMayReview(actor: Principal, orgId: string): void {
  if (!worksFor(actor, orgId)) throw new Forbidden("only the organisation's admins and editors may decide its relays");
}
