import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client';
import type { OrganisationView, SenderSmtpView } from '../../api/views';
import { ErrorNote, Field, Loading, Notice, Page, useLoad } from '../../components/ui';
import { orgOf, useMe } from '../../session';

interface BrandForm {
  name: string;
  colour: string;
  logoUrl: string;
  /** Topic ids, comma or space separated; empty: every topic of its coalitions. */
  joinTopics: string;
}

const formOf = (org: OrganisationView): BrandForm => ({ name: org.name, colour: org.branding.colour, logoUrl: org.branding.logoUrl ?? '', joinTopics: (org.joinTopics ?? []).join(', ') });
const topicList = (value: string) => value.split(/[\s,;]+/).map((v) => v.trim()).filter(Boolean);

/** The organisation as the form would make it, for the preview beside it. */
const withForm = (org: OrganisationView, form: BrandForm): OrganisationView => ({
  ...org,
  name: form.name,
  branding: { ...org.branding, colour: /^#[0-9a-fA-F]{6}$/.test(form.colour) ? form.colour : org.branding.colour, logoUrl: form.logoUrl.startsWith('https://') ? form.logoUrl : undefined },
});

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

/** The name, colour, logo and join-page topics; saved by the organisation's admins (editors are refused by the API). */
function BrandingForm({ org, onSaved }: { org: OrganisationView; onSaved: () => void }) {
  const { t } = useTranslation();
  const [form, setForm] = useState<BrandForm>(() => formOf(org));
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState<string>();
  const set = (field: keyof BrandForm, value: string) => setForm((f) => ({ ...f, [field]: value }));

  async function save(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    setNotice(undefined);
    const topics = topicList(form.joinTopics);
    try {
      await call('PATCH', '/api/v1/organisations/{orgId}', {
        path: { orgId: org.id },
        body: { name: form.name, colour: form.colour, logoUrl: form.logoUrl.trim() || null, joinTopics: topics.length ? topics : null },
      });
      setNotice(t('branding.saved'));
      onSaved();
    } catch (reason) {
      setError(reason);
    }
  }

  return (
    <div className="split">
      <form className="stack narrow" onSubmit={save}>
        {notice && <Notice>{notice}</Notice>}
        <ErrorNote error={error} />
        <Field label={t('branding.name')}>{(id) => <input id={id} required maxLength={120} value={form.name} onChange={(e) => set('name', e.target.value)} />}</Field>
        <Field label={t('branding.colour')}>
          {(id) => <input id={id} type="color" value={form.colour} onChange={(e) => set('colour', e.target.value)} />}
        </Field>
        <Field label={t('branding.logo')} hint={t('branding.logoHint')}>
          {(id, hint) => <input id={id} aria-describedby={hint} type="url" maxLength={500} placeholder="https://" value={form.logoUrl} onChange={(e) => set('logoUrl', e.target.value)} />}
        </Field>
        <Field label={t('branding.joinTopics')} hint={t('branding.joinTopicsHint')}>
          {(id, hint) => <input id={id} aria-describedby={hint} value={form.joinTopics} onChange={(e) => set('joinTopics', e.target.value)} />}
        </Field>
        <p className="small">
          <span className="muted">{t('branding.senderName')}</span> {org.branding.senderName} · <span className="muted">{t('branding.languages')}</span> {org.languages.join(', ')}
        </p>
        <div className="row">
          <button type="submit" className="primary">
            {t('branding.save')}
          </button>
        </div>
      </form>
      <BrandPreview org={withForm(org, form)} />
    </div>
  );
}

/**
 * Branding as supporters see it, which the organisation's admins edit here
 * with a preview beside the form, and the organisation's own SMTP sender.
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
      {org.data && <BrandingForm key={org.data.id} org={org.data} onSaved={org.reload} />}
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
