import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { call, type Grant } from '../api/client';
import type { CoalitionView, OrganisationView } from '../api/views';
import { ErrorNote, Field, Notice } from './ui';

type Role = Grant['role'];

/**
 * Invites a person by email with one role: they get a sign-in link. Who may
 * invite whom is the API's rule (admin: anyone; coordinator: coordinators of
 * their coalition; organisation admin: its staff); the choices offered follow it.
 */
export function InvitePerson({ me, organisations = [], coalitions = [], onInvited }: { me: Grant; organisations?: OrganisationView[]; coalitions?: CoalitionView[]; onInvited?: () => void }) {
  const { t, i18n } = useTranslation();
  const roles: Role[] = me.role === 'admin' ? ['coordinator', 'org_admin', 'org_editor', 'admin'] : me.role === 'coordinator' ? ['coordinator'] : ['org_editor', 'org_admin'];
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>(roles[0]);
  const [scope, setScope] = useState('');
  const [language, setLanguage] = useState(i18n.language);
  const [error, setError] = useState<unknown>();
  const [sent, setSent] = useState<string>();

  function grantOf(): Grant {
    if (role === 'admin') return { role };
    if (role === 'coordinator') return { role, coalitionId: me.role === 'coordinator' ? me.coalitionId : scope };
    return { role, orgId: me.role === 'org_admin' ? me.orgId : scope };
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    setSent(undefined);
    try {
      await call('POST', '/api/v1/accounts', { body: { email, name, grant: grantOf(), language } });
      setSent(t('people.invited', { email }));
      setEmail('');
      setName('');
      onInvited?.();
    } catch (reason) {
      setError(reason);
    }
  }

  const needsCoalition = me.role === 'admin' && role === 'coordinator';
  const needsOrg = me.role === 'admin' && (role === 'org_admin' || role === 'org_editor');
  return (
    <form className="stack narrow card" onSubmit={submit} aria-labelledby="invite-person-heading">
      <h2 id="invite-person-heading">{t('people.invite')}</h2>
      <Field label={t('people.name')}>{(id) => <input id={id} required maxLength={80} value={name} onChange={(e) => setName(e.target.value)} />}</Field>
      <Field label={t('signIn.email')}>{(id) => <input id={id} type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />}</Field>
      <Field label={t('people.role')}>
        {(id) => (
          <select id={id} value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {roles.map((r) => (
              <option key={r} value={r}>
                {t(`roles.${r}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      {needsCoalition && (
        <Field label={t('people.coalition')}>
          {(id) => (
            <select id={id} required value={scope} onChange={(e) => setScope(e.target.value)}>
              <option value="">{t('common.choose')}</option>
              {coalitions.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      {needsOrg && (
        <Field label={t('people.organisation')}>
          {(id) => (
            <select id={id} required value={scope} onChange={(e) => setScope(e.target.value)}>
              <option value="">{t('common.choose')}</option>
              {organisations.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      <Field label={t('people.language')}>
        {(id) => (
          <select id={id} value={language} onChange={(e) => setLanguage(e.target.value)}>
            <option value="en">{t('languages.en')}</option>
            <option value="fr">{t('languages.fr')}</option>
          </select>
        )}
      </Field>
      <ErrorNote error={error} />
      {sent && <Notice>{sent}</Notice>}
      <button type="submit" className="primary">
        {t('people.send')}
      </button>
    </form>
  );
}
