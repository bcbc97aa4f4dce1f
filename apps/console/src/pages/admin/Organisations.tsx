import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client';
import type { OrganisationView } from '../../api/views';
import { ErrorNote, Field, Loading, Notice, Page, useActions, useLoad } from '../../components/ui';

const list = (value: string) => value.split(/[\s,;]+/).map((v) => v.trim()).filter(Boolean);

export function AdminOrganisations() {
  const { t } = useTranslation();
  const orgs = useLoad(() => call<OrganisationView[]>('GET', '/api/v1/organisations'), []);
  const [form, setForm] = useState({ name: '', slug: '', country: '', languages: 'en, fr', colour: '#1f4e79', senderName: '', logoUrl: '' });
  const { act, done: created, error } = useActions(orgs.reload);
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value }));

  async function create(event: FormEvent) {
    event.preventDefault();
    await act(t('admin.orgCreated', { name: form.name }), () =>
      call<OrganisationView>('POST', '/api/v1/organisations', {
        body: {
          name: form.name,
          slug: form.slug,
          country: form.country.toUpperCase(),
          languages: list(form.languages),
          branding: { colour: form.colour, senderName: form.senderName || form.name, ...(form.logoUrl ? { logoUrl: form.logoUrl } : {}) },
        },
      }),
    );
  }

  return (
    <Page title={t('nav.organisations')}>
      {orgs.loading && <Loading />}
      <ErrorNote error={orgs.error} />
      <ul className="cards plain">
        {(orgs.data ?? []).map((org) => (
          <li key={org.id} className="card">
            <strong>{org.name}</strong> · <code>{org.slug}</code> · {org.country} · {org.languages.join(', ')}
          </li>
        ))}
      </ul>
      <form className="stack narrow card" onSubmit={create}>
        <h2>{t('admin.newOrg')}</h2>
        <Field label={t('branding.name')}>{(id) => <input id={id} required value={form.name} onChange={set('name')} />}</Field>
        <Field label={t('admin.slug')} hint={t('admin.slugHint')}>
          {(id, hint) => <input id={id} aria-describedby={hint} required pattern="[a-z0-9][a-z0-9-]*" value={form.slug} onChange={set('slug')} />}
        </Field>
        <Field label={t('admin.country')} hint={t('compose.regionsHint')}>
          {(id, hint) => <input id={id} aria-describedby={hint} required maxLength={2} value={form.country} onChange={set('country')} />}
        </Field>
        <Field label={t('branding.languages')}>{(id) => <input id={id} required value={form.languages} onChange={set('languages')} />}</Field>
        <Field label={t('branding.colour')}>{(id) => <input id={id} type="color" value={form.colour} onChange={set('colour')} />}</Field>
        <Field label={t('branding.senderName')}>{(id) => <input id={id} value={form.senderName} onChange={set('senderName')} />}</Field>
        <Field label={t('branding.logo')}>{(id) => <input id={id} type="url" value={form.logoUrl} onChange={set('logoUrl')} />}</Field>
        <ErrorNote error={error} />
        {created && <Notice>{created}</Notice>}
        <button type="submit" className="primary">
          {t('admin.create')}
        </button>
      </form>
    </Page>
  );
}
