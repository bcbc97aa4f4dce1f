import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { call } from '../../api/client';
import type { AlertInput, AlertPreview, AlertView, Urgency } from '../../api/views';
import { MessagePreviews } from '../../components/Previews';
import { ErrorNote, Field, Loading, MarkdownPreview, Page } from '../../components/ui';
import { coalitionOf, useMe } from '../../session';

const URGENCIES: Urgency[] = ['low', 'normal', 'high', 'critical'];
const LANGUAGE_CODE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

interface Draft {
  primaryLanguage: string;
  languages: string[];
  texts: Record<string, { title: string; body: string; ctaLabel: string }>;
  ctaUrl: string;
  urgency: Urgency;
  topics: string;
  regions: string;
  expiresAt: string;
}

const emptyText = { title: '', body: '', ctaLabel: '' };
/** How long typing must pause before the preview is rendered again: one request per pause, not per key. */
const PREVIEW_DEBOUNCE_MS = 600;
const HTTPS = /^https:\/\/\S+$/;
const list = (value: string) => value.split(/[\s,;]+/).map((v) => v.trim()).filter(Boolean);

/** A datetime-local value (the coordinator's own time) from an ISO instant, and back. */
const toLocal = (iso?: string) => (iso ? new Date(Date.parse(iso) - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 16) : '');
const fromLocal = (local: string) => (local ? new Date(local).toISOString() : undefined);

function draftOf(alert: AlertView): Draft {
  const languages = Object.keys(alert.texts);
  return {
    primaryLanguage: alert.primaryLanguage,
    languages,
    texts: Object.fromEntries(languages.map((l) => [l, { title: alert.texts[l].title, body: alert.texts[l].body, ctaLabel: alert.texts[l].ctaLabel }])),
    ctaUrl: alert.ctaUrl,
    urgency: alert.urgency,
    topics: alert.topics.join(', '),
    regions: alert.regions.join(', '),
    expiresAt: toLocal(alert.expiresAt),
  };
}

function inputOf(draft: Draft): AlertInput {
  return {
    primaryLanguage: draft.primaryLanguage,
    texts: Object.fromEntries(draft.languages.map((l) => [l, draft.texts[l]])),
    ctaUrl: draft.ctaUrl,
    urgency: draft.urgency,
    topics: list(draft.topics),
    regions: list(draft.regions).map((r) => r.toUpperCase()),
    ...(draft.expiresAt ? { expiresAt: fromLocal(draft.expiresAt) } : {}),
  };
}

/**
 * Compose a new alert or correct one: per-language title, body (markdown,
 * previewed live) and button label; targeting; urgency; expiry. "Preview"
 * asks the gateway to render it as the email and push supporters receive.
 */
export function AlertEditor() {
  const { t, i18n } = useTranslation();
  const { alertId } = useParams();
  const navigate = useNavigate();
  const coalitionId = coalitionOf(useMe().grant);
  const [draft, setDraft] = useState<Draft>(() => ({
    primaryLanguage: i18n.language,
    languages: [i18n.language],
    texts: { [i18n.language]: { ...emptyText } },
    ctaUrl: '',
    urgency: 'high',
    topics: '',
    regions: '',
    expiresAt: '',
  }));
  const [current, setCurrent] = useState<AlertView>();
  const [tab, setTab] = useState(draft.primaryLanguage);
  const [newLanguage, setNewLanguage] = useState('');
  const [error, setError] = useState<unknown>();
  const [previews, setPreviews] = useState<AlertPreview[]>();
  const [previewError, setPreviewError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!alertId) return;
    call<AlertView>('GET', '/api/v1/alerts/{alertId}', { path: { alertId } }).then((alert) => {
      setCurrent(alert);
      setDraft(draftOf(alert));
      setTab(alert.primaryLanguage);
    }, setError);
  }, [alertId]);

  const text = draft.texts[tab] ?? emptyText;
  const setText = (field: keyof typeof emptyText, value: string) =>
    setDraft((d) => ({ ...d, texts: { ...d.texts, [tab]: { ...(d.texts[tab] ?? emptyText), [field]: value } } }));

  function addLanguage() {
    const code = newLanguage.trim().toLowerCase();
    if (!LANGUAGE_CODE.test(code) || draft.languages.includes(code)) return;
    setDraft((d) => ({ ...d, languages: [...d.languages, code], texts: { ...d.texts, [code]: { ...emptyText, ctaLabel: d.texts[d.primaryLanguage]?.ctaLabel ?? '' } } }));
    setTab(code);
    setNewLanguage('');
  }

  function removeLanguage(code: string) {
    if (code === draft.primaryLanguage) return;
    setDraft((d) => ({ ...d, languages: d.languages.filter((l) => l !== code) }));
    setTab(draft.primaryLanguage);
  }

  async function preview(signal?: AbortSignal) {
    if (!coalitionId && !current) return;
    setPreviewError(undefined);
    try {
      const answer = await call<AlertPreview[]>('POST', '/api/v1/coalitions/{coalitionId}/alerts/preview', {
        path: { coalitionId: coalitionId ?? current!.coalitionId },
        body: inputOf(draft),
      });
      if (!signal?.aborted) setPreviews(answer);
    } catch (reason) {
      if (!signal?.aborted) setPreviewError(reason);
    }
  }

  // The email and push follow the text as it is written, once typing pauses and the primary text is complete;
  // an answer for an older draft than the one on screen is dropped.
  useEffect(() => {
    const primary = draft.texts[draft.primaryLanguage];
    if (!primary?.title.trim() || !primary.body.trim() || !primary.ctaLabel.trim() || !HTTPS.test(draft.ctaUrl)) return;
    const stale = new AbortController();
    const timer = setTimeout(() => void preview(stale.signal), PREVIEW_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      stale.abort();
    };
    // Re-run for each new draft only: preview() reads that draft.
  }, [draft]);

  async function save(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const input = inputOf(draft);
      const saved = alertId
        ? await call<AlertView>('PATCH', '/api/v1/alerts/{alertId}', { path: { alertId }, body: { ...input, expiresAt: input.expiresAt ?? null } })
        : await call<AlertView>('POST', '/api/v1/coalitions/{coalitionId}/alerts', { path: { coalitionId: coalitionId! }, body: input });
      navigate(`/alerts/${saved.id}`);
    } catch (reason) {
      setError(reason);
      setBusy(false);
    }
  }

  if (alertId && !current && !error) return <Loading />;
  const correcting = current && !['draft', 'awaiting_approval'].includes(current.status);
  return (
    <Page title={alertId ? (correcting ? t('compose.correctTitle') : t('compose.editTitle')) : t('compose.title')}>
      {correcting && <p className="note warn">{t('compose.correctNote')}</p>}
      <form onSubmit={save} className="stack" noValidate={false}>
        <fieldset>
          <legend>{t('compose.languages')}</legend>
          <Field label={t('compose.primaryLanguage')}>
            {(id) => (
              <select id={id} value={draft.primaryLanguage} onChange={(e) => setDraft((d) => ({ ...d, primaryLanguage: e.target.value }))}>
                {draft.languages.map((l) => (
                  <option key={l} value={l}>
                    {t(`languages.${l}`, { defaultValue: l })}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <div className="tabs" role="group" aria-label={t('compose.versions')}>
            {draft.languages.map((l) => (
              <button key={l} type="button" className={l === tab ? 'tab active' : 'tab'} aria-pressed={l === tab} onClick={() => setTab(l)}>
                {t(`languages.${l}`, { defaultValue: l })}
              </button>
            ))}
          </div>
          <div className="row">
            <Field label={t('compose.addLanguage')} hint={t('compose.addLanguageHint')}>
              {(id, hint) => <input id={id} aria-describedby={hint} value={newLanguage} size={6} onChange={(e) => setNewLanguage(e.target.value)} />}
            </Field>
            <button type="button" onClick={addLanguage}>
              {t('compose.add')}
            </button>
            {tab !== draft.primaryLanguage && (
              <button type="button" className="danger-link" onClick={() => removeLanguage(tab)}>
                {t('compose.removeLanguage', { language: tab })}
              </button>
            )}
          </div>
        </fieldset>

        <fieldset>
          <legend>{t('compose.textIn', { language: t(`languages.${tab}`, { defaultValue: tab }) })}</legend>
          <Field label={t('compose.alertTitle')}>
            {(id) => <input id={id} required maxLength={140} value={text.title} onChange={(e) => setText('title', e.target.value)} />}
          </Field>
          <div className="split">
            <Field label={t('compose.body')} hint={t('compose.bodyHint')}>
              {(id, hint) => <textarea id={id} aria-describedby={hint} required rows={8} maxLength={10000} value={text.body} onChange={(e) => setText('body', e.target.value)} />}
            </Field>
            <div>
              <h2 className="label-like">{t('compose.livePreview')}</h2>
              <MarkdownPreview source={text.body} label={t('compose.livePreview')} />
            </div>
          </div>
          <Field label={t('compose.ctaLabel')}>
            {(id) => <input id={id} required maxLength={60} value={text.ctaLabel} onChange={(e) => setText('ctaLabel', e.target.value)} />}
          </Field>
        </fieldset>

        <fieldset>
          <legend>{t('compose.delivery')}</legend>
          <Field label={t('compose.ctaUrl')} hint={t('compose.ctaUrlHint')}>
            {(id, hint) => <input id={id} aria-describedby={hint} type="url" required inputMode="url" value={draft.ctaUrl} onChange={(e) => setDraft((d) => ({ ...d, ctaUrl: e.target.value }))} />}
          </Field>
          <Field label={t('compose.urgency')}>
            {(id) => (
              <select id={id} value={draft.urgency} onChange={(e) => setDraft((d) => ({ ...d, urgency: e.target.value as Urgency }))}>
                {URGENCIES.map((u) => (
                  <option key={u} value={u}>
                    {t(`urgency.${u}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('compose.topics')} hint={t('compose.topicsHint')}>
            {(id, hint) => <input id={id} aria-describedby={hint} value={draft.topics} onChange={(e) => setDraft((d) => ({ ...d, topics: e.target.value }))} />}
          </Field>
          <Field label={t('compose.regions')} hint={t('compose.regionsHint')}>
            {(id, hint) => <input id={id} aria-describedby={hint} value={draft.regions} onChange={(e) => setDraft((d) => ({ ...d, regions: e.target.value }))} />}
          </Field>
          <Field label={t('compose.expiresAt')} hint={t('compose.expiresHint')}>
            {(id, hint) => <input id={id} aria-describedby={hint} type="datetime-local" value={draft.expiresAt} onChange={(e) => setDraft((d) => ({ ...d, expiresAt: e.target.value }))} />}
          </Field>
        </fieldset>

        <ErrorNote error={error} />
        <div className="row sticky-actions">
          <button type="button" onClick={() => void preview()}>
            {t('compose.preview')}
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {alertId ? t('compose.saveChanges') : t('compose.saveDraft')}
          </button>
        </div>
      </form>
      <ErrorNote error={previewError} />
      {previews && <MessagePreviews previews={previews} />}
    </Page>
  );
}
