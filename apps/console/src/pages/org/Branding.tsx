import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client';
import type { OrganisationView, SenderSmtpView } from '../../api/views';
import { ErrorNote, Field, Loading, Notice, Page, useLoad } from '../../components/ui';
import { orgOf, useMe } from '../../session';

/** How the join page's header and an email's sender line look with this branding. */
function BrandPreview({ org }: { org: OrganisationView }) {
  const { t } = useTranslation();
  return (
    <div className="stack">
      <h3>{t('branding.joinPreview')}</h3>
      <div className="brand-preview" style={{ borderTopColor: org.branding.colour }}>
        {org.branding.logoUrl && <img src={org.branding.logoUrl} alt={t('branding.logoAlt', { name: org.name })} height={40} />}
        <strong>{org.name}</strong>
        <span className="swatch-button" style={{ background: org.branding.colour }}>
          {t('branding.joinButton')}
        </span>
      </div>
      <h3>{t('branding.emailPreview')}</h3>
      <p className="push-preview">
        <strong>{org.branding.senderName}</strong>
        <span>{t('branding.emailLine')}</span>
      </p>
      <p>
        <a href={`/join/${org.slug}`}>{t('branding.openJoin')}</a>
      </p>
    </div>
  );
}

/**
 * Branding as supporters see it (read here; the network admin sets it when
 * creating the organisation — the API has no branding update yet) and the
 * organisation's own SMTP sender, which its admins change here.
 */
export function Branding() {
  const { t } = useTranslation();
  const orgId = orgOf(useMe().grant) ?? '';
  const org = useLoad(() => call<OrganisationView>('GET', '/api/v1/organisations/{orgId}', { path: { orgId } }), [orgId]);
  const smtp = useLoad(() => call<SenderSmtpView>('GET', '/api/v1/organisations/{orgId}/sender/smtp', { path: { orgId } }), [orgId]);
  const [url, setUrl] = useState('');
  const [from, setFrom] = useState('');
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState<string>();

  async function saveSmtp(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    try {
      await call('PUT', '/api/v1/organisations/{orgId}/sender/smtp', { path: { orgId }, body: { url, from } });
      setUrl('');
      setNotice(t('branding.smtpSaved'));
      smtp.reload();
    } catch (reason) {
      setError(reason);
    }
  }

  async function clearSmtp() {
    try {
      await call('DELETE', '/api/v1/organisations/{orgId}/sender/smtp', { path: { orgId } });
      setNotice(t('branding.smtpCleared'));
      smtp.reload();
    } catch (reason) {
      setError(reason);
    }
  }

  if (org.loading) return <Loading />;
  return (
    <Page title={t('branding.title')}>
      <ErrorNote error={org.error} />
      {org.data && (
        <div className="split">
          <dl className="facts">
            <dt>{t('branding.name')}</dt>
            <dd>{org.data.name}</dd>
            <dt>{t('branding.colour')}</dt>
            <dd>
              <span className="swatch" style={{ background: org.data.branding.colour }} aria-hidden="true" /> {org.data.branding.colour}
            </dd>
            <dt>{t('branding.logo')}</dt>
            <dd className="break">{org.data.branding.logoUrl ?? t('common.none')}</dd>
            <dt>{t('branding.languages')}</dt>
            <dd>{org.data.languages.join(', ')}</dd>
            <dt>{t('branding.senderName')}</dt>
            <dd>{org.data.branding.senderName}</dd>
          </dl>
          <BrandPreview org={org.data} />
        </div>
      )}
      <h2>{t('branding.sender')}</h2>
      {notice && <Notice>{notice}</Notice>}
      <ErrorNote error={error ?? smtp.error} />
      <p>
        {smtp.data?.smtp
          ? t('branding.smtpOwn', { host: smtp.data.smtp.host, port: smtp.data.smtp.port, from: smtp.data.smtp.from })
          : t('branding.smtpNetwork')}
      </p>
      <form className="stack narrow" onSubmit={saveSmtp}>
        <Field label={t('branding.smtpUrl')} hint={t('branding.smtpUrlHint')}>
          {(id, hint) => <input id={id} aria-describedby={hint} required autoComplete="off" value={url} onChange={(e) => setUrl(e.target.value)} />}
        </Field>
        <Field label={t('branding.smtpFrom')}>
          {(id) => <input id={id} type="email" required value={from} onChange={(e) => setFrom(e.target.value)} />}
        </Field>
        <div className="row">
          <button type="submit" className="primary">
            {t('branding.smtpSave')}
          </button>
          {smtp.data?.smtp && (
            <button type="button" onClick={() => void clearSmtp()}>
              {t('branding.smtpClear')}
            </button>
          )}
        </div>
      </form>
    </Page>
  );
}
