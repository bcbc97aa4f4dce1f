import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { call } from '../api/client';
import type { AlertView, RelayView } from '../api/views';
import { Countdown, ErrorNote, Loading, Page, StatusBadge, useLoad } from '../components/ui';
import { coalitionOf, orgOf, useMe } from '../session';

/** What needs the coordinator now: every crisis action is one tap from an alert here. */
function CoordinatorHome({ coalitionId }: { coalitionId: string }) {
  const { t } = useTranslation();
  const { data, error, loading } = useLoad(() => call<AlertView[]>('GET', '/api/v1/coalitions/{coalitionId}/alerts', { path: { coalitionId } }), [coalitionId]);
  const open = (data ?? []).filter((a) => !['cancelled', 'expired'].includes(a.status)).slice(0, 8);
  return (
    <>
      <p>
        <Link className="button primary big" to="/alerts/new">
          {t('home.newAlert')}
        </Link>
      </p>
      <h2>{t('home.current')}</h2>
      <ErrorNote error={error} />
      {loading && <Loading />}
      {!loading && open.length === 0 && <p className="muted">{t('home.noAlerts')}</p>}
      <ul className="cards">
        {open.map((alert) => (
          <li key={alert.id}>
            <Link to={`/alerts/${alert.id}`} className="card-link">
              <span className="card-title">{alert.texts[alert.primaryLanguage]?.title}</span>
              <StatusBadge status={alert.status} />
            </Link>
          </li>
        ))}
      </ul>
    </>
  );
}

/** The review queue first: a decision is one tap from here. */
function OrganisationHome({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  const { data, error, loading } = useLoad(
    () => call<RelayView[]>('GET', '/api/v1/organisations/{orgId}/relays', { path: { orgId }, query: { status: 'pending' } }),
    [orgId],
  );
  return (
    <>
      <h2>{t('home.waiting')}</h2>
      <ErrorNote error={error} />
      {loading && <Loading />}
      {!loading && (data ?? []).length === 0 && <p className="muted">{t('home.noReviews')}</p>}
      <ul className="cards">
        {(data ?? []).map((relay) => (
          <li key={relay.id}>
            <Link to={`/reviews/${relay.id}`} className="card-link">
              <span className="card-title">{relay.title}</span>
              {relay.deadline && <Countdown deadline={relay.deadline} />}
            </Link>
          </li>
        ))}
      </ul>
      <p className="row">
        <Link className="button" to="/outcomes">
          {t('nav.outcomes')}
        </Link>
        <Link className="button" to="/supporters">
          {t('nav.supporters')}
        </Link>
      </p>
    </>
  );
}

function AdminHome() {
  const { t } = useTranslation();
  return (
    <ul className="cards">
      {(
        [
          ['/admin/organisations', t('nav.organisations')],
          ['/admin/coalitions', t('nav.coalitions')],
          ['/admin/invitations', t('nav.invitations')],
          ['/admin/tokens', t('nav.tokens')],
        ] as const
      ).map(([to, label]) => (
        <li key={to}>
          <Link to={to} className="card-link">
            <span className="card-title">{label}</span>
          </Link>
        </li>
      ))}
    </ul>
  );
}

export function Home() {
  const { t } = useTranslation();
  const me = useMe();
  const coalitionId = coalitionOf(me.grant);
  const orgId = orgOf(me.grant);
  return (
    <Page title={t('home.title', { name: me.name })}>
      <p className="muted">{t(`roles.${me.grant.role}`)}</p>
      {coalitionId && <CoordinatorHome coalitionId={coalitionId} />}
      {orgId && <OrganisationHome orgId={orgId} />}
      {me.grant.role === 'admin' && <AdminHome />}
    </Page>
  );
}
