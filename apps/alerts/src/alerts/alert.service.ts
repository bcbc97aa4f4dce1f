import { Injectable } from '@nestjs/common';
import type { z } from 'zod';
import { coordinates, isAdmin, type alertRequests, type AlertChangesView, type AlertPreviewContentView, type AlertView, type Principal } from '@clarion/contracts';
import { Conflict, Forbidden, NotFound } from '@clarion/errors';
import { IdempotencyService } from '../idempotency/idempotency.service';
import {
  isUnapproved,
  newAlert,
  planApproval,
  planApprovalRequest,
  planCancellation,
  planEdit,
  planPublication,
  type AlertChange,
} from './alert-lifecycle';
import { AlertOutbox } from './alert-outbox';
import { AlertRepository, type CoalitionScope } from './alert.repository';
import type { AlertRecord } from './alert.schema';
import { alertChanges } from './alert-changes';
import { toAlertView } from './alert-views';
import { CoalitionSettingsClient } from './coalition-settings.client';

type AlertRequest<K extends keyof typeof alertRequests> = z.infer<(typeof alertRequests)[K]>;

/**
 * Who may do what with an alert, and storing each lifecycle step with its
 * events. Coordinators of the alert's coalition write; they and network
 * admins read. Anyone else is told an alert does not exist, so ids of other
 * coalitions' alerts reveal nothing.
 */
@Injectable()
export class AlertService {
  constructor(
    private readonly alerts: AlertRepository,
    private readonly outbox: AlertOutbox,
    private readonly coalitions: CoalitionSettingsClient,
    private readonly idempotency: IdempotencyService,
  ) {}

  async create({ actor, coalitionId, input }: AlertRequest<'create'>): Promise<AlertView> {
    if (!coordinates(actor, coalitionId)) throw new Forbidden('only a coordinator of this coalition may write its alerts');
    return toAlertView(await this.alerts.create(newAlert(coalitionId, input, actor.tokenId)));
  }

  /** What changed since the alert was last approved or published: for the coordinator asked to approve it. */
  async changes({ actor, alertId }: AlertRequest<'changes'>): Promise<AlertChangesView> {
    const alert = await this.visible(actor, alertId);
    if (!coordinates(actor, alert.coalitionId) && !isAdmin(actor)) throw new Forbidden("only the coalition's coordinators may see what changed");
    return alertChanges(alert);
  }

  /** A draft as it would be stored, stored nowhere: the same rendering as create, for the compose screen's preview. */
  preview({ actor, coalitionId, input }: AlertRequest<'previewContent'>): AlertPreviewContentView {
    if (!coordinates(actor, coalitionId)) throw new Forbidden('only a coordinator of this coalition may preview its alerts');
    const draft = newAlert(coalitionId, input, actor.tokenId);
    const texts = Object.fromEntries(Object.entries(draft.texts).map(([language, text]) => [language, { title: text.title, body: text.body, bodyHtml: text.bodyHtml, ctaLabel: text.ctaLabel }]));
    return { coalitionId, primaryLanguage: draft.primaryLanguage, texts, ctaUrl: draft.ctaUrl, urgency: draft.urgency };
  }

  async list({ actor, coalitionId }: AlertRequest<'list'>): Promise<AlertView[]> {
    if (!coordinates(actor, coalitionId) && !isAdmin(actor)) throw new Forbidden('only a coordinator of this coalition may list its alerts');
    return (await this.alerts.list({ coalitionId })).map(toAlertView);
  }

  async get({ actor, alertId }: AlertRequest<'get'>): Promise<AlertView> {
    return toAlertView(await this.visible(actor, alertId));
  }

  async update({ actor, alertId, input }: AlertRequest<'update'>): Promise<AlertView> {
    const alert = await this.writable(actor, alertId);
    return this.commit(alert, planEdit(alert, input, new Date()));
  }

  async approve({ actor, alertId }: AlertRequest<'approve'>): Promise<AlertView> {
    const alert = await this.writable(actor, alertId);
    return this.commit(alert, planApproval(alert, actor.tokenId));
  }

  async requestApproval({ actor, alertId }: AlertRequest<'requestApproval'>): Promise<AlertView> {
    const alert = await this.writable(actor, alertId);
    return this.commit(alert, planApprovalRequest(alert, { tokenId: actor.tokenId, name: actor.name }, new Date()));
  }

  /**
   * With an idempotency key, a repeat (double click, client retry) answers the
   * first request's result instead of publishing again or failing with 409.
   * Access is checked first, so a caller who may not publish this alert
   * learns nothing about keys; the key is scoped to the alert's coalition,
   * which is the caller's.
   */
  async publish({ actor, alertId, input, idempotencyKey }: AlertRequest<'publish'>): Promise<AlertView> {
    if (!idempotencyKey) return this.publishNow(actor, alertId, input);
    const { coalitionId } = await this.writable(actor, alertId);
    const request = publicationRequest(alertId, input);
    return this.idempotency.once({ coalitionId, key: idempotencyKey, request }, () => this.publishNow(actor, alertId, input));
  }

  private async publishNow(actor: Principal, alertId: string, input: AlertRequest<'publish'>['input']): Promise<AlertView> {
    const alert = await this.writable(actor, alertId);
    // Asked only when it decides something; the rule may change between two publications.
    const secondApprovalRequired = isUnapproved(alert.status) && (await this.coalitions.requiresSecondApproval(alert.coalitionId));
    const at = input.at ? new Date(input.at) : undefined;
    return this.commit(alert, planPublication(alert, { at, now: new Date(), secondApprovalRequired }));
  }

  async cancel({ actor, alertId, input }: AlertRequest<'cancel'>): Promise<AlertView> {
    const alert = await this.writable(actor, alertId);
    return this.commit(alert, planCancellation(alert, input.reason, new Date(), input.notifySupporters ?? true));
  }

  private async visible(actor: Principal, alertId: string): Promise<AlertRecord> {
    const scope = readScope(actor);
    const alert = scope && (await this.alerts.findOne(scope, alertId));
    if (!alert) throw new NotFound(`alert ${alertId} not found`);
    return alert;
  }

  /** An admin sees the alert, so is told why not; everyone else outside the coalition got NotFound already. */
  private async writable(actor: Principal, alertId: string): Promise<AlertRecord> {
    const alert = await this.visible(actor, alertId);
    if (!coordinates(actor, alert.coalitionId)) throw new Forbidden('only a coordinator of this coalition may change its alerts');
    return alert;
  }

  private async commit(alert: AlertRecord, change: AlertChange): Promise<AlertView> {
    const stored = await this.alerts.applyChange(alert, change);
    if (!stored) throw new Conflict('the alert changed while this request ran; read it again and retry');
    await this.outbox.deliver(stored);
    return toAlertView(stored);
  }
}

/** What an idempotency key on publish stands for: this alert, with this body. */
export function publicationRequest(alertId: string, input: AlertRequest<'publish'>['input']): string {
  return JSON.stringify({ operation: 'publish', alertId, input });
}

function readScope(actor: Principal): CoalitionScope | undefined {
  if (isAdmin(actor)) return { allCoalitions: true };
  if (actor.grant.role === 'coordinator') return { coalitionId: actor.grant.coalitionId };
  return undefined;
}
