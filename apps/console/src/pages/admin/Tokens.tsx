import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { call, type Grant } from '../../api/client';
import type { CoalitionView, OrganisationView, CreatedTokenView, TokenView } from '../../api/views';
import { ErrorNote, Field, formatDate, Loading, Page, useLoad } from '../../components/ui';

/** API tokens for integrations: one role each; the secret is shown once. */
export function AdminTokens() {
  const { t, i18n } = useTranslation();
  const tokens = useLoad(() => call<TokenView[]>('GET', '/api/v1/tokens'), []);
  const orgs = useLoad(() => call<OrganisationView[]>('GET', '/api/v1/organisations'), []);
  const coalitions = useLoad(() => call<CoalitionView[]>('GET', '/api/v1/coalitions'), []);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Grant['role']>('coordinator');
  const [scope, setScope] = useState('');
  const [secret, setSecret] = useState<string>();
  const [error, setError] = useState<unknown>();

  async function create(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    const grant: Grant = role === 'admin' ? { role } : role === 'coordinator' ? { role, coalitionId: scope } : { role, orgId: scope };
    try {
      const created = await call<CreatedTokenView>('POST', '/api/v1/tokens', { body: { name, grant } });
      setSecret(created.token);
      tokens.reload();
    } catch (reason) {
      setError(reason);
    }
  }

  const scopes = role === 'coordinator' ? (coalitions.data ?? []) : role === 'admin' ? [] : (orgs.data ?? []);
  return (
    <Page title={t('nav.tokens')}>
      {tokens.loading && <Loading />}
      <ErrorNote error={tokens.error} />
      <table>
        <thead>
          <tr>
            <th scope="col">{t('people.name')}</th>
            <th scope="col">{t('people.role')}</th>
            <th scope="col">{t('admin.created')}</th>
            <th scope="col">{t('admin.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {(tokens.data ?? []).map((token) => (
            <tr key={token.id}>
              <td>{token.name}</td>
              <td>{t(`roles.${token.grant.role}`)}</td>
              <td>{formatDate(token.createdAt, i18n.language)}</td>
              <td>
                {token.revokedAt ? (
                  t('admin.revoked')
                ) : (
                  <button type="button" className="danger" onClick={() => void call('DELETE', '/api/v1/tokens/{tokenId}', { path: { tokenId: token.id } }).then(tokens.reload, setError)}>
                    {t('account.revoke')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="stack narrow card" onSubmit={create}>
        <h2>{t('admin.newToken')}</h2>
        <Field label={t('people.name')}>{(id) => <input id={id} required value={name} onChange={(e) => setName(e.target.value)} />}</Field>
        <Field label={t('people.role')}>
          {(id) => (
            <select id={id} value={role} onChange={(e) => (setRole(e.target.value as Grant['role']), setScope(''))}>
              {(['coordinator', 'org_admin', 'org_editor', 'admin'] as const).map((r) => (
                <option key={r} value={r}>
                  {t(`roles.${r}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        {role !== 'admin' && (
          <Field label={role === 'coordinator' ? t('people.coalition') : t('people.organisation')}>
            {(id) => (
              <select id={id} required value={scope} onChange={(e) => setScope(e.target.value)}>
                <option value="">{t('common.choose')}</option>
                {scopes.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        <ErrorNote error={error} />
        {secret && (
          <div className="note ok" role="status">
            <p>{t('admin.tokenOnce')}</p>
            <code className="break" data-testid="token-secret">
              {secret}
            </code>
          </div>
        )}
        <button type="submit" className="primary">
          {t('admin.create')}
        </button>
      </form>
    </Page>
  );
}
