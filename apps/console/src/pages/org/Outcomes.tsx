import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, call } from '../../api/client';
import type { FailureView, RelayView } from '../../api/views';
import { ChannelTotalsTable } from '../../components/Dashboard';
import { useProgress } from '../../components/progress';
import { ErrorNote, formatDate, Loading, Notice, Page, StatusBadge, useLoad } from '../../components/ui';
import { orgOf, useMe } from '../../session';

/** This organisation's own reach for one alert, who failed and why, and "resend failed". */
function RelayOutcome({ orgId, relay }: { orgId: string; relay: RelayView }) {
  const { t, i18n } = useTranslation();
  const [open, setOpen] = useState(false);
  const progress = useProgress('/api/v1/organisations/{orgId}/alerts/{alertId}/progress', { orgId, alertId: relay.alertId }, open);
  const failures = useLoad(
    () => (open ? call<FailureView[] | { failures: FailureView[] }>('GET', '/api/v1/organisations/{orgId}/alerts/{alertId}/failures', { path: { orgId, alertId: relay.alertId } }) : Promise.resolve([])),
    [open, relay.alertId],
  );
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<unknown>();
  const list = Array.isArray(failures.data) ? failures.data : (failures.data?.failures ?? []);
  return (
    <li className="card">
      <h2 className="card-title">{relay.title}</h2>
      <p className="row">
        <StatusBadge status={relay.status} />
        <span className="muted small">{formatDate(relay.decidedAt ?? relay.createdAt, i18n.language)}</span>
      </p>
      <button type="button" aria-expanded={open} onClick={() => setOpen((v) => !v)}>
        {open ? t('outcomes.hide') : t('outcomes.show')}
      </button>
      {open && (
        <div className="stack">
          {progress.latest ? <ChannelTotalsTable totals={progress.latest} /> : <Loading />}
          <h3>{t('outcomes.failures')}</h3>
          {failures.error instanceof ApiError && failures.error.status === 404 ? null : <ErrorNote error={failures.error} />}
          {list.length === 0 ? (
            <p className="muted">{t('outcomes.noFailures')}</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('outcomes.supporter')}</th>
                  <th scope="col">{t('dashboard.channel')}</th>
                  <th scope="col">{t('supporters.reason')}</th>
                  <th scope="col">{t('dashboard.when')}</th>
                </tr>
              </thead>
              <tbody>
                {list.map((f) => (
                  <tr key={`${f.supporterId}-${f.channel}`}>
                    <td>{f.supporterId}</td>
                    <td>{t(`channels.${f.channel}`, { defaultValue: f.channel })}</td>
                    <td>{f.reason}</td>
                    <td>{formatDate(f.at, i18n.language)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {notice && <Notice>{notice}</Notice>}
          <ErrorNote error={error} />
          <button
            type="button"
            onClick={() =>
              call('POST', '/api/v1/organisations/{orgId}/alerts/{alertId}/resend-failed', { path: { orgId, alertId: relay.alertId } }).then(
                () => (setNotice(t('dashboard.resent')), failures.reload()),
                setError,
              )
            }
          >
            {t('dashboard.resendFailed')}
          </button>
        </div>
      )}
    </li>
  );
}

export function Outcomes() {
  const { t } = useTranslation();
  const orgId = orgOf(useMe().grant) ?? '';
  const { data, error, loading } = useLoad(() => call<RelayView[]>('GET', '/api/v1/organisations/{orgId}/relays', { path: { orgId } }), [orgId]);
  const decided = (data ?? []).filter((r) => r.status !== 'pending');
  return (
    <Page title={t('outcomes.title')}>
      <ErrorNote error={error} />
      {loading && <Loading />}
      {!loading && decided.length === 0 && <p className="muted">{t('outcomes.none')}</p>}
      <ul className="cards plain">
        {decided.map((relay) => (
          <RelayOutcome key={relay.id} orgId={orgId} relay={relay} />
        ))}
      </ul>
    </Page>
  );
}
