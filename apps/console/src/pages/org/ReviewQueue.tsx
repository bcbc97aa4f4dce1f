import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { call } from '../../api/client';
import type { RelayView } from '../../api/views';
import { Countdown, ErrorNote, Loading, Page, StatusBadge, useLoad } from '../../components/ui';
import { orgOf, useMe } from '../../session';

/** Alerts waiting for this organisation's decision, soonest deadline first. */
export function ReviewQueue() {
  const { t } = useTranslation();
  const orgId = orgOf(useMe().grant) ?? '';
  const { data, error, loading, reload } = useLoad(
    () => call<RelayView[]>('GET', '/api/v1/organisations/{orgId}/relays', { path: { orgId }, query: { status: 'pending' } }),
    [orgId],
  );
  const queue = [...(data ?? [])].sort((a, b) => Date.parse(a.deadline ?? '9999') - Date.parse(b.deadline ?? '9999'));
  return (
    <Page
      title={t('reviews.title')}
      actions={
        <button type="button" onClick={reload}>
          {t('common.refresh')}
        </button>
      }
    >
      <ErrorNote error={error} />
      {loading && <Loading />}
      {!loading && queue.length === 0 && <p className="muted">{t('home.noReviews')}</p>}
      <ul className="cards" data-testid="review-queue">
        {queue.map((relay) => (
          <li key={relay.id}>
            <Link to={`/reviews/${relay.id}`} className="card-link">
              <span className="card-title">{relay.title}</span>
              <span className="row">
                <StatusBadge status={relay.status} />
                <span className="badge">{t(`urgency.${relay.urgency}`, { defaultValue: relay.urgency })}</span>
              </span>
              {relay.deadline && (
                <span>
                  {t(relay.onDeadline === 'approve' ? 'reviews.decidesApprove' : 'reviews.decidesDrop')} <Countdown deadline={relay.deadline} />
                </span>
              )}
            </Link>
          </li>
        ))}
      </ul>
    </Page>
  );
}
