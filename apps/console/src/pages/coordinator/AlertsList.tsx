import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { call } from '../../api/client';
import type { AlertView } from '../../api/views';
import { ErrorNote, formatDate, Loading, Page, StatusBadge, useLoad } from '../../components/ui';
import { coalitionOf, useMe } from '../../session';

export function AlertsList() {
  const { t, i18n } = useTranslation();
  const coalitionId = coalitionOf(useMe().grant);
  const { data, error, loading } = useLoad(
    () => (coalitionId ? call<AlertView[]>('GET', '/api/v1/coalitions/{coalitionId}/alerts', { path: { coalitionId } }) : Promise.resolve([])),
    [coalitionId],
  );
  return (
    <Page
      title={t('alerts.title')}
      actions={
        <Link className="button primary" to="/alerts/new">
          {t('home.newAlert')}
        </Link>
      }
    >
      <ErrorNote error={error} />
      {loading && <Loading />}
      {!loading && (data ?? []).length === 0 && <p className="muted">{t('home.noAlerts')}</p>}
      <ul className="cards">
        {(data ?? []).map((alert) => (
          <li key={alert.id}>
            <Link to={`/alerts/${alert.id}`} className="card-link">
              <span className="card-title">{alert.texts[alert.primaryLanguage]?.title}</span>
              <StatusBadge status={alert.status} />
              <span className="muted small">{formatDate(alert.publishedAt ?? alert.updatedAt, i18n.language)}</span>
            </Link>
          </li>
        ))}
      </ul>
    </Page>
  );
}
