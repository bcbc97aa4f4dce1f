import { useTranslation } from 'react-i18next';
import { call } from '../../api/client';
import type { SessionListItem } from '../../api/views';
import { ErrorNote, formatDate, Loading, Page, useLoad } from '../../components/ui';
import { useMe, useSession } from '../../session';

/** Where this account is signed in; revoke any session, or sign out here. */
export function Sessions() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const { signOut } = useSession();
  const sessions = useLoad(() => call<SessionListItem[] | { sessions: SessionListItem[] }>('GET', '/api/v1/auth/sessions'), []);
  const list = Array.isArray(sessions.data) ? sessions.data : (sessions.data?.sessions ?? []);
  return (
    <Page title={t('account.title')}>
      <dl className="facts">
        <dt>{t('people.name')}</dt>
        <dd>{me.name}</dd>
        {me.email && (
          <>
            <dt>{t('signIn.email')}</dt>
            <dd>{me.email}</dd>
          </>
        )}
        <dt>{t('people.role')}</dt>
        <dd>{t(`roles.${me.grant.role}`)}</dd>
      </dl>
      <h2>{t('account.sessions')}</h2>
      {sessions.loading && <Loading />}
      <ErrorNote error={sessions.error} />
      <ul className="cards plain">
        {list.map((session) => (
          <li key={session.sessionId} className="card row">
            <span>
              {t('account.signedInSince', { since: formatDate(session.createdAt, i18n.language), seen: formatDate(session.lastSeenAt, i18n.language) })}
              {(session.current || session.sessionId === me.sessionId) && <strong> · {t('account.thisOne')}</strong>}
            </span>
            {session.sessionId !== me.sessionId && !session.current && (
              <button type="button" className="danger" onClick={() => void call('DELETE', '/api/v1/auth/sessions/{sessionId}', { path: { sessionId: session.sessionId } }).then(sessions.reload)}>
                {t('account.revoke')}
              </button>
            )}
          </li>
        ))}
      </ul>
      <button type="button" className="primary" onClick={() => void signOut()}>
        {t('nav.signOut')}
      </button>
    </Page>
  );
}
