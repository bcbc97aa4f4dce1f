import { useTranslation } from 'react-i18next';
import { call } from '../api/client';
import type { AccountView } from '../api/views';
import { InvitePerson } from '../components/InvitePerson';
import { ErrorNote, Loading, Page, useLoad } from '../components/ui';
import { coalitionOf, orgOf, useMe } from '../session';

/** The coalition's coordinators or the organisation's staff: invite, list, remove. */
export function People() {
  const { t } = useTranslation();
  const me = useMe();
  const orgId = orgOf(me.grant);
  const coalitionId = coalitionOf(me.grant);
  const people = useLoad(() => call<AccountView[]>('GET', '/api/v1/accounts', { query: { orgId, coalitionId } }), [orgId, coalitionId]);
  return (
    <Page title={t('people.title')}>
      <InvitePerson me={me.grant} onInvited={people.reload} />
      <h2>{t('people.list')}</h2>
      {people.loading && <Loading />}
      <ErrorNote error={people.error} />
      <ul className="cards plain">
        {(people.data ?? []).map((person) => (
          <li key={person.accountId} className="card row">
            <span>
              <strong>{person.name}</strong> · {person.email} · {t(`roles.${person.grant.role}`)}
            </span>
            {person.email !== me.email && (
              <button type="button" className="danger" onClick={() => void call('DELETE', '/api/v1/accounts/{accountId}', { path: { accountId: person.accountId } }).then(people.reload)}>
                {t('people.remove', { name: person.name })}
              </button>
            )}
          </li>
        ))}
      </ul>
    </Page>
  );
}
