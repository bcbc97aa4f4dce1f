import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client';
import type { CoalitionView } from '../../api/views';
import { ErrorNote, Field, Loading, Notice, Page, useActions, useLoad } from '../../components/ui';

export function AdminCoalitions() {
  const { t } = useTranslation();
  const coalitions = useLoad(() => call<CoalitionView[]>('GET', '/api/v1/coalitions'), []);
  const [form, setForm] = useState({ name: '', slug: '', description: '', requireSecondApproval: true });
  const { act, done: created, error } = useActions(coalitions.reload);

  async function create(event: FormEvent) {
    event.preventDefault();
    await act(t('admin.coalitionCreated', { name: form.name }), () =>
      call<CoalitionView>('POST', '/api/v1/coalitions', {
        body: { name: form.name, slug: form.slug, requireSecondApproval: form.requireSecondApproval, ...(form.description ? { description: form.description } : {}) },
      }),
    );
  }

  return (
    <Page title={t('nav.coalitions')}>
      {coalitions.loading && <Loading />}
      <ErrorNote error={coalitions.error} />
      <ul className="cards plain">
        {(coalitions.data ?? []).map((c) => (
          <li key={c.id} className="card">
            <strong>{c.name}</strong> · <code>{c.slug}</code> · {c.requireSecondApproval ? t('admin.twoCoordinators') : t('admin.oneCoordinator')}
          </li>
        ))}
      </ul>
      <form className="stack narrow card" onSubmit={create}>
        <h2>{t('admin.newCoalition')}</h2>
        <Field label={t('branding.name')}>{(id) => <input id={id} required value={form.name} onChange={(e) => setForm((f) => ({ ...f, name: e.target.value }))} />}</Field>
        <Field label={t('admin.slug')} hint={t('admin.slugHint')}>
          {(id, hint) => <input id={id} aria-describedby={hint} required value={form.slug} onChange={(e) => setForm((f) => ({ ...f, slug: e.target.value }))} />}
        </Field>
        <Field label={t('admin.description')}>
          {(id) => <textarea id={id} rows={2} value={form.description} onChange={(e) => setForm((f) => ({ ...f, description: e.target.value }))} />}
        </Field>
        <label className="check">
          <input type="checkbox" checked={form.requireSecondApproval} onChange={(e) => setForm((f) => ({ ...f, requireSecondApproval: e.target.checked }))} /> {t('admin.requireSecond')}
        </label>
        <ErrorNote error={error} />
        {created && <Notice>{created}</Notice>}
        <button type="submit" className="primary">
          {t('admin.create')}
        </button>
      </form>
    </Page>
  );
}
