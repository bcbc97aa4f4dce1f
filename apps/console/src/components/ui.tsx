import DOMPurify from 'dompurify';
import { marked } from 'marked';
import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';

/** A screen: its heading takes focus on arrival, so a screen reader announces the new page. */
export function Page({ title, children, actions }: { title: string; children: ReactNode; actions?: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Clarion`;
    heading.current?.focus();
  }, [title]);
  return (
    <section className="page" aria-labelledby="page-title">
      <div className="page-head">
        <h1 id="page-title" tabIndex={-1} ref={heading}>
          {title}
        </h1>
        {actions}
      </div>
      {children}
    </section>
  );
}

/** Loads once (and again on `reload`); the error is shown as an alert. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): { data: T | undefined; error: unknown; reload: () => void; loading: boolean } {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setLoading(true);
    load().then(
      (value) => live && (setData(value), setError(undefined), setLoading(false)),
      (reason) => live && (setError(reason), setLoading(false)),
    );
    return () => {
      live = false;
    };
    // The caller lists what the load depends on (deps), like useEffect.
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, error, reload, loading };
}

export function errorText(error: unknown, t: TFunction): string {
  if (error instanceof ApiError) {
    if (error.status === 401) return t('errors.signedOut');
    if (error.status === 403) return t('errors.forbidden');
    if (error.status === 429) return t('errors.tooMany');
    return error.field ? t('errors.field', { field: error.field, message: error.message }) : error.message;
  }
  return t('errors.network');
}

export function ErrorNote({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <p className="note error" role="alert">
      {errorText(error, t)}
    </p>
  );
}

export function Notice({ children }: { children: ReactNode }) {
  return (
    <p className="note ok" role="status">
      {children}
    </p>
  );
}

export function Loading() {
  const { t } = useTranslation();
  return (
    <p className="muted" role="status">
      {t('common.loading')}
    </p>
  );
}

/** A labelled form control; the hint is read with it. */
export function Field({ label, hint, children }: { label: string; hint?: string; children: (id: string, describedBy?: string) => ReactNode }) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      )}
      {children(id, hintId)}
    </div>
  );
}

/** Time left to a deadline, updated every second; announced politely once a minute at most. */
export function Countdown({ deadline }: { deadline: string }) {
  const { t } = useTranslation();
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, []);
  const left = Date.parse(deadline) - now;
  if (left <= 0) return <span className="countdown over">{t('common.deadlinePassed')}</span>;
  const minutes = Math.floor(left / 60_000);
  const seconds = Math.floor((left % 60_000) / 1000);
  const hours = Math.floor(minutes / 60);
  const text = hours > 0 ? t('common.timeLeftHours', { hours, minutes: minutes % 60 }) : t('common.timeLeft', { minutes, seconds: String(seconds).padStart(2, '0') });
  return (
    <time className={`countdown${minutes < 10 ? ' soon' : ''}`} dateTime={deadline}>
      {text}
    </time>
  );
}

/** Markdown as supporters will read it, sanitised (no script, no handlers). */
export function MarkdownPreview({ source, label }: { source: string; label: string }) {
  const html = DOMPurify.sanitize(marked.parse(source, { async: false }) as string);
  return <div className="markdown-preview" aria-label={label} role="region" dangerouslySetInnerHTML={{ __html: html }} />;
}

export function formatDate(iso: string | undefined, language: string): string {
  if (!iso) return '';
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

/** A status word as a badge with its translated label. */
export function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  return <span className={`badge badge-${status}`}>{t(`status.${status}`, { defaultValue: status })}</span>;
}

/**
 * What a screen's buttons do: `attempt` runs a call and keeps why it failed;
 * `act` also says what was done (a notice) and reloads the screen's data.
 */
export function useActions(reload: () => void) {
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string>();
  async function attempt(run: () => Promise<unknown>): Promise<boolean> {
    setError(undefined);
    try {
      await run();
      return true;
    } catch (reason) {
      setError(reason);
      return false;
    }
  }
  async function act(label: string, run: () => Promise<unknown>): Promise<void> {
    setDone(undefined);
    if (await attempt(run)) {
      setDone(label);
      reload();
    }
  }
  return { act, attempt, done, error };
}
