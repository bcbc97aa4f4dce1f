import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client';
import type { CoalitionView, OrganisationView } from '../../api/views';
import { InvitePerson } from '../../components/InvitePerson';
import { ErrorNote, Field, Notice, Page, useLoad } from '../../components/ui';
import { useMe } from '../../session';

/** Invite people (coordinators, organisation staff) and invite organisations into a coalition. */
export function AdminInvitations() {
  const { t } = useTranslation();
  const me = useMe();
  const orgs = useLoad(() => call<OrganisationView[]>('GET', '/api/v1/organisations'), []);
  const coalitions = useLoad(() => call<CoalitionView[]>('GET', '/api/v1/coalitions'), []);
  const [coalitionId, setCoalitionId] = useState('');
  const [orgId, setOrgId] = useState('');
  const [error, setError] = useState<unknown>();
  const [sent, setSent] = useState<string>();

  async function inviteOrg(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    try {
      await call('POST', '/api/v1/coalitions/{coalitionId}/invitations', { path: { coalitionId }, body: { orgId } });
      setSent(t('admin.orgInvited'));
    } catch (reason) {
      setError(reason);
    }
  }

  return (
    <Page title={t('nav.invitations')}>
      <ErrorNote error={orgs.error ?? coalitions.error} />
      <InvitePerson me={me.grant} organisations={orgs.data ?? []} coalitions={coalitions.data ?? []} />
      <form className="stack narrow card" onSubmit={inviteOrg}>
        <h2>{t('admin.inviteOrg')}</h2>
        <Field label={t('people.coalition')}>
          {(id) => (
            <select id={id} required value={coalitionId} onChange={(e) => setCoalitionId(e.target.value)}>
              <option value="">{t('common.choose')}</option>
              {(coalitions.data ?? []).map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('people.organisation')}>
          {(id) => (
            <select id={id} required value={orgId} onChange={(e) => setOrgId(e.target.value)}>
              <option value="">{t('common.choose')}</option>
              {(orgs.data ?? []).map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <ErrorNote error={error} />
        {sent && <Notice>{sent}</Notice>}
        <button type="submit" className="primary">
          {t('admin.inviteOrgSend')}
        </button>
      </form>
    </Page>
  );
}
