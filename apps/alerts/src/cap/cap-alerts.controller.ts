import { Controller } from '@nestjs/common';
import { capRpc, type CapAlertView, type ValidRequestOf } from '@clarion/contracts';
import { RequestHandler } from '@clarion/messaging';
import { AlertRepository } from '../alerts/alert.repository';
import type { AlertRecord } from '../alerts/alert.schema';
import { alertContent } from '../alerts/alert-views';

/** How long a cancelled alert stays in the feed, as its Cancel message, so feed readers learn of the withdrawal. */
const CANCELLED_SHOWN_MS = 24 * 60 * 60_000;

/**
 * The CAP feed's data (docs/decisions/0028). No actor: only what already went
 * out publicly (alerts that were published: their landing pages show as much);
 * the gateway asks subscriptions first whether the feed may be read.
 */
@Controller()
export class CapAlertsController {
  constructor(private readonly alerts: AlertRepository) {}

  @RequestHandler(capRpc.alerts)
  async list({ coalitionId, alertId }: ValidRequestOf<typeof capRpc.alerts>): Promise<{ alerts: CapAlertView[] }> {
    const now = Date.now();
    if (alertId) {
      const alert = await this.alerts.findOne({ coalitionId }, alertId);
      return { alerts: alert && wentOut(alert) ? [toCapAlert(alert)] : [] };
    }
    const current = (await this.alerts.list({ coalitionId })).filter((alert) => {
      if (!wentOut(alert)) return false;
      if (alert.status === 'cancelled') return !!alert.cancelledAt && now - alert.cancelledAt.getTime() < CANCELLED_SHOWN_MS;
      return alert.status === 'published' && !(alert.expiresAt && alert.expiresAt.getTime() <= now);
    });
    return { alerts: current.map(toCapAlert) };
  }
}

function wentOut(alert: AlertRecord): boolean {
  return !!alert.publishedAt && (alert.status === 'published' || alert.status === 'cancelled' || alert.status === 'expired');
}

/** Version n+1 went out when version n was replaced; version 1 when the alert was published. */
function toCapAlert(alert: AlertRecord): CapAlertView {
  const published = alert.publishedAt!;
  const archived = [...alert.versions].sort((a, b) => a.version - b.version);
  const firstVersion = archived[0]?.version ?? alert.version;
  const messages = [{ version: firstVersion, sentAt: published.toISOString() }];
  archived.forEach((replaced, index) => {
    const next = archived[index + 1]?.version ?? alert.version;
    messages.push({ version: next, sentAt: new Date(replaced.replacedAt).toISOString() });
  });
  return {
    id: alert._id.toHexString(),
    coalitionId: alert.coalitionId,
    status: alert.status as CapAlertView['status'],
    version: alert.version,
    ...alertContent(alert),
    messages,
    ...(alert.cancelledAt ? { cancelledAt: alert.cancelledAt.toISOString() } : {}),
    ...(alert.cancelReason ? { cancelReason: alert.cancelReason } : {}),
  };
}
