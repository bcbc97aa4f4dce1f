import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError, call } from '../../api/client';
import type { AlertChanges, AlertView, CoalitionView, RelayCounts, RelayListItem } from '../../api/views';
import { ChannelTotalsTable, ReachChart } from '../../components/Dashboard';
import { useMe } from '../../session';
import { useProgress } from '../../components/progress';
import { Countdown, ErrorNote, Field, formatDate, Loading, MarkdownPreview, Notice, Page, StatusBadge, useActions, useLoad } from '../../components/ui';

const UNAPPROVED = ['draft', 'awaiting_approval'];
const LIVE = ['published', 'scheduled'];

const shown = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(', ') || '—' : (value ?? '—'));

/** What changed since the last approved or published version, field by field, for the approving coordinator. */
function ChangesSince({ alertId }: { alertId: string }) {
  const { t, i18n } = useTranslation();
  const { data, error } = useLoad(() => call<AlertChanges>('GET', '/api/v1/alerts/{alertId}/changes', { path: { alertId } }), [alertId]);
  if (error) return <ErrorNote error={error} />;
  if (!data) return <Loading />;
  if (!data.since) return <p className="muted">{t('alert.firstVersion')}</p>;
  const since = t(data.since.kind === 'approved' ? 'alert.sinceApproved' : 'alert.sincePublished', { version: data.since.version, date: formatDate(data.since.at, i18n.language) });
  if (data.changes.length === 0) return <p className="muted">{since} {t('alert.noChanges')}</p>;
  return (
    <div className="stack">
      <p className="muted">{since}</p>
      <ul className="changes" data-testid="alert-changes">
        {data.changes.map((change) => (
          <li key={change.field}>
            <strong>{change.field}</strong>{' '}
            {change.before === undefined ? (
              <ins>{shown(change.after)}</ins>
            ) : change.after === undefined ? (
              <del>{shown(change.before)}</del>
            ) : (
              <>
                <del>{shown(change.before)}</del> → <ins>{shown(change.after)}</ins>
              </>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Per organisation: relayed, pending (time left), declined, filtered out. Names organisations, never supporters. */
function RelaysByOrganisation({ alertId }: { alertId: string }) {
  const { t, i18n } = useTranslation();
  const list = useLoad(() => call<RelayListItem[] | { relays: RelayListItem[] }>('GET', '/api/v1/alerts/{alertId}/relays/list', { path: { alertId } }), [alertId]);
  const counts = useLoad(() => call<RelayCounts>('GET', '/api/v1/alerts/{alertId}/relays', { path: { alertId } }), [alertId]);
  const relays = Array.isArray(list.data) ? list.data : (list.data?.relays ?? []);
  return (
    <section aria-labelledby="relays-heading">
      <h2 id="relays-heading">{t('dashboard.relays')}</h2>
      {counts.data && (
        <dl className="counts" data-testid="relay-counts">
          {(['approved', 'pending', 'declined', 'cancelled'] as const).map((status) => (
            <div key={status} data-status={status}>
              <dt>{t(`status.${status}`)}</dt>
              <dd>{counts.data![status]}</dd>
            </div>
          ))}
        </dl>
      )}
      <ErrorNote error={counts.error} />
      {list.error instanceof ApiError && list.error.status === 404 ? null : <ErrorNote error={list.error} />}
      {relays.length > 0 && (
        <table data-testid="relays-table">
          <thead>
            <tr>
              <th scope="col">{t('dashboard.organisation')}</th>
              <th scope="col">{t('dashboard.decision')}</th>
              <th scope="col">{t('dashboard.when')}</th>
            </tr>
          </thead>
          <tbody>
            {relays.map((relay) => (
              <tr key={relay.orgId}>
                <th scope="row">{relay.orgName}</th>
                <td>
                  <StatusBadge status={relay.status} />
                </td>
                <td>{relay.status === 'pending' && relay.deadline ? <Countdown deadline={relay.deadline} /> : formatDate(relay.decidedAt, i18n.language)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <button type="button" className="link" onClick={() => (list.reload(), counts.reload())}>
        {t('common.refresh')}
      </button>
    </section>
  );
}

/** One alert: what it says, what can be done with it now (approve, publish, correct, cancel), and its live dashboard. */
export function AlertDetail() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const { alertId = '' } = useParams();
  const { data: alert, error, reload } = useLoad(() => call<AlertView>('GET', '/api/v1/alerts/{alertId}', { path: { alertId } }), [alertId]);
  const coalition = useLoad(
    () => (alert ? call<CoalitionView>('GET', '/api/v1/coalitions/{coalitionId}', { path: { coalitionId: alert.coalitionId } }) : Promise.resolve(undefined)),
    [alert?.coalitionId],
  );
  const [language, setLanguage] = useState<string>();
  const { act, done, error: actionError } = useActions(reload);
  const [schedule, setSchedule] = useState('');
  const [reason, setReason] = useState('');
  const [confirmCancel, setConfirmCancel] = useState(false);
  const live = !!alert && (LIVE.includes(alert.status) || alert.status === 'cancelled');
  const progress = useProgress('/api/v1/alerts/{alertId}/progress', { alertId }, !!alert && alert.status === 'published');

  if (error) return <Page title={t('alert.title')}><ErrorNote error={error} /></Page>;
  if (!alert) return <Loading />;
  const lang = language ?? alert.primaryLanguage;
  const text = alert.texts[lang] ?? alert.texts[alert.primaryLanguage];
  const needsApproval = coalition.data?.requireSecondApproval ?? false;
  // The author asks; another coordinator approves (the API refuses the author's own approval).
  const mine = alert.createdBy === me.accountId;
  const canAsk = needsApproval && mine && alert.status === 'draft';
  const canApprove = needsApproval && !mine && UNAPPROVED.includes(alert.status);
  const waiting = needsApproval && mine && alert.status === 'awaiting_approval';
  const canPublish = alert.status === 'approved' || (!needsApproval && UNAPPROVED.includes(alert.status));
  const canCancel = !['cancelled', 'expired'].includes(alert.status);
  const reached = progress.latest ? Object.values(progress.latest.channels).reduce((sum, c) => sum + c.sent, 0) : 0;

  return (
    <Page title={text?.title ?? t('alert.title')}>
      <p className="row">
        <StatusBadge status={alert.status} />
        <span className="badge">{t(`urgency.${alert.urgency}`)}</span>
        <span className="muted small">{t('alert.version', { version: alert.version })}</span>
      </p>
      {done && <Notice>{done}</Notice>}
      <ErrorNote error={actionError} />

      <section aria-labelledby="actions-heading" className="actions">
        <h2 id="actions-heading" className="visually-hidden">
          {t('alert.actions')}
        </h2>
        {canApprove && (
          <div className="stack">
            <h3>{t('alert.changes')}</h3>
            <ChangesSince alertId={alert.id} />
            <button type="button" className="primary big" onClick={() => void act(t('alert.approved'), () => call('POST', '/api/v1/alerts/{alertId}/approve', { path: { alertId } }))}>
              {t('alert.approve')}
            </button>
          </div>
        )}
        {canAsk && (
          <div className="stack">
            <p className="muted">{t('alert.askApprovalHint')}</p>
            <button type="button" className="primary big" onClick={() => void act(t('alert.approvalAsked'), () => call('POST', '/api/v1/alerts/{alertId}/request-approval', { path: { alertId } }))}>
              {t('alert.askApproval')}
            </button>
          </div>
        )}
        {waiting && <p className="note">{t('alert.awaitingApproval')}</p>}
        {canPublish && (
          <div className="stack">
            <button type="button" className="primary big" onClick={() => void act(t('alert.publishedNow'), () => call('POST', '/api/v1/alerts/{alertId}/publish', { path: { alertId }, body: {}, headers: { 'Idempotency-Key': crypto.randomUUID() } }))}>
              {t('alert.publishNow')}
            </button>
            <div className="row">
              <Field label={t('alert.scheduleAt')}>
                {(id) => <input id={id} type="datetime-local" value={schedule} onChange={(e) => setSchedule(e.target.value)} />}
              </Field>
              <button
                type="button"
                disabled={!schedule}
                onClick={() =>
                  void act(t('alert.scheduled'), () => call('POST', '/api/v1/alerts/{alertId}/publish', { path: { alertId }, body: { at: new Date(schedule).toISOString() }, headers: { 'Idempotency-Key': crypto.randomUUID() } }))
                }
              >
                {t('alert.schedule')}
              </button>
            </div>
          </div>
        )}
        <div className="row">
          {alert.status !== 'cancelled' && alert.status !== 'expired' && (
            <Link className="button" to={`/alerts/${alert.id}/edit`}>
              {UNAPPROVED.includes(alert.status) ? t('alert.edit') : t('alert.correct')}
            </Link>
          )}
          {canCancel && !confirmCancel && (
            <button type="button" className="danger" onClick={() => setConfirmCancel(true)}>
              {t('alert.cancel')}
            </button>
          )}
        </div>
        {confirmCancel && (
          <div className="stack confirm" role="group" aria-labelledby="cancel-heading">
            <h3 id="cancel-heading">{t('alert.cancelConfirm')}</h3>
            {alert.status === 'published' && <p>{t('alert.cancelReached', { count: reached })}</p>}
            <Field label={t('alert.cancelReason')}>
              {(id) => <input id={id} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />}
            </Field>
            <div className="row">
              <button
                type="button"
                className="danger"
                onClick={() => void act(t('alert.cancelled'), () => call('POST', '/api/v1/alerts/{alertId}/cancel', { path: { alertId }, body: reason ? { reason } : {} })).then(() => setConfirmCancel(false))}
              >
                {t('alert.cancelYes')}
              </button>
              <button type="button" onClick={() => setConfirmCancel(false)}>
                {t('common.back')}
              </button>
            </div>
          </div>
        )}
      </section>

      {live && (
        <section aria-labelledby="dashboard-heading" className="dashboard">
          <h2 id="dashboard-heading">{t('dashboard.title')}</h2>
          <RelaysByOrganisation alertId={alert.id} />
          <h2>{t('dashboard.reach')}</h2>
          <p className="muted small" role="status">
            {progress.connected ? t('dashboard.live') : t('dashboard.notLive')}
          </p>
          {progress.latest && (
            <>
              <ChannelTotalsTable totals={progress.latest} />
              <ReachChart points={progress.points} />
              <p>
                {t('dashboard.clicked', { count: progress.latest.clicked })} · {t('dashboard.failures', { count: Object.values(progress.latest.channels).reduce((s, c) => s + c.failed, 0) })}
              </p>
              <button type="button" onClick={() => void act(t('dashboard.resent'), () => call('POST', '/api/v1/alerts/{alertId}/resend-failed', { path: { alertId } }))}>
                {t('dashboard.resendFailed')}
              </button>
            </>
          )}
        </section>
      )}

      <section aria-labelledby="content-heading">
        <h2 id="content-heading">{t('alert.content')}</h2>
        {Object.keys(alert.texts).length > 1 && (
          <div className="tabs" role="group" aria-label={t('compose.versions')}>
            {Object.keys(alert.texts).map((l) => (
              <button key={l} type="button" className={l === lang ? 'tab active' : 'tab'} aria-pressed={l === lang} onClick={() => setLanguage(l)}>
                {t(`languages.${l}`, { defaultValue: l })}
              </button>
            ))}
          </div>
        )}
        {text && <MarkdownPreview source={text.body} label={t('alert.content')} />}
        <dl className="facts">
          <dt>{t('compose.ctaLabel')}</dt>
          <dd>
            {text?.ctaLabel} — <span className="break">{alert.ctaUrl}</span>
          </dd>
          <dt>{t('compose.topics')}</dt>
          <dd>{alert.topics.join(', ') || t('common.all')}</dd>
          <dt>{t('compose.regions')}</dt>
          <dd>{alert.regions.join(', ') || t('common.all')}</dd>
          <dt>{t('compose.expiresAt')}</dt>
          <dd>{alert.expiresAt ? formatDate(alert.expiresAt, i18n.language) : t('common.never')}</dd>
          {alert.scheduledFor && (
            <>
              <dt>{t('alert.scheduledFor')}</dt>
              <dd>{formatDate(alert.scheduledFor, i18n.language)}</dd>
            </>
          )}
          {alert.publishedAt && (
            <>
              <dt>{t('alert.publishedAt')}</dt>
              <dd>{formatDate(alert.publishedAt, i18n.language)}</dd>
            </>
          )}
        </dl>
      </section>
    </Page>
  );
}
