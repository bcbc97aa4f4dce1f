import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { authHeaders, call, urlOf } from '../../api/client';
import type { ImportResult, SupporterCounts, SupporterHit } from '../../api/views';
import { ErrorNote, Field, Loading, Notice, Page, useLoad } from '../../components/ui';
import { orgOf, useMe } from '../../session';

/** Rows per import request: small enough to show progress, large enough to be quick. */
const ROWS_PER_PART = 500;

/** Splits a CSV (one record per line; quoted newlines are not expected in these columns) into parts that each repeat the header. */
export function csvParts(csv: string, rows = ROWS_PER_PART): { text: string; firstLine: number }[] {
  const lines = csv.replace(/\r\n/g, '\n').split('\n');
  const header = lines[0] ?? '';
  const parts: { text: string; firstLine: number }[] = [];
  for (let start = 1; start < lines.length; start += rows) {
    const body = lines.slice(start, start + rows);
    if (body.every((line) => line.trim() === '')) continue;
    parts.push({ text: [header, ...body].join('\n'), firstLine: start + 1 });
  }
  return parts;
}

/** Each channel the counts answer names (every key but `total`), with its own states in the order given. */
export function countsByChannel(data: Record<string, unknown> | undefined): { channel: string; states: Record<string, number> }[] {
  return Object.entries(data ?? {}).flatMap(([channel, states]) =>
    channel !== 'total' && typeof states === 'object' && states !== null ? [{ channel, states: states as Record<string, number> }] : [],
  );
}

/** A hit's state on each channel it has, from its `<channel>State` fields, in the answer's order. */
export function channelStatesOf(hit: object): { channel: string; state: string }[] {
  return Object.entries(hit).flatMap(([key, state]) => {
    const channel = /^([a-z][a-zA-Z0-9]*)State$/.exec(key)?.[1];
    return channel && typeof state === 'string' ? [{ channel, state }] : [];
  });
}

function Counts({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  const { data, error, loading } = useLoad(() => call<SupporterCounts>('GET', '/api/v1/organisations/{orgId}/supporters/counts', { path: { orgId } }), [orgId]);
  if (loading) return <Loading />;
  if (error) return <ErrorNote error={error} />;
  const rows = countsByChannel(data);
  // Channels have states of their own (push has no pending, email no gone): a column for each state any channel has.
  const states = [...new Set(rows.flatMap((row) => Object.keys(row.states)))];
  return (
    <table data-testid="supporter-counts">
      <caption>{t('supporters.counts')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('dashboard.channel')}</th>
          {states.map((state) => (
            <th scope="col" key={state}>
              {t(`supporterState.${state}`, { defaultValue: state })}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map(({ channel, states: counted }) => (
          <tr key={channel} data-channel={channel}>
            <th scope="row">{t(`channels.${channel}`, { defaultValue: channel })}</th>
            {states.map((state) =>
              state in counted ? (
                <td key={state} data-state={state}>
                  {String(counted[state])}
                </td>
              ) : (
                <td key={state} title={t('supporters.noSuchState')}>
                  <span aria-hidden="true">—</span>
                  <span className="visually-hidden">{t('supporters.noSuchState')}</span>
                </td>
              ),
            )}
          </tr>
        ))}
      </tbody>
      {typeof data?.total === 'number' && (
        <tfoot>
          <tr>
            <th scope="row">{t('supporters.total')}</th>
            <td colSpan={Math.max(states.length, 1)}>{String(data.total)}</td>
          </tr>
        </tfoot>
      )}
    </table>
  );
}

export function Supporters() {
  const { t } = useTranslation();
  const orgId = orgOf(useMe().grant) ?? '';
  const [contact, setContact] = useState('');
  /** The hits, with what was searched: a supporter reached only by phone has no address to show. */
  const [found, setFound] = useState<{ searched: string; hits: SupporterHit[] }>();
  const [error, setError] = useState<unknown>();
  const [progress, setProgress] = useState<{ done: number; total: number }>();
  const [result, setResult] = useState<ImportResult>();
  const [notice, setNotice] = useState<string>();
  const [erasing, setErasing] = useState<string>();

  async function search(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    try {
      // An address has an @; anything else is taken for a mobile number, which the gateway reads by the network's rules.
      const query = contact.includes('@') ? { email: contact.trim() } : { phone: contact.trim() };
      const answer = await call<{ supporters: SupporterHit[] }>('GET', '/api/v1/organisations/{orgId}/supporters', { path: { orgId }, query });
      setFound({ searched: contact.trim(), hits: answer.supporters });
    } catch (reason) {
      setError(reason);
    }
  }

  async function importFile(file: File) {
    setError(undefined);
    setResult(undefined);
    const parts = csvParts(await file.text());
    const total: ImportResult = { imported: 0, skipped: [] };
    setProgress({ done: 0, total: parts.length });
    try {
      for (const [index, part] of parts.entries()) {
        const answer = await call<ImportResult>('POST', '/api/v1/organisations/{orgId}/supporters/import', { path: { orgId }, text: { mediaType: 'text/csv', content: part.text } });
        total.imported += answer.imported;
        // Each part's line 2 is the file's part.firstLine.
        total.skipped.push(...answer.skipped.map((s) => ({ line: s.line - 2 + part.firstLine, reason: s.reason })));
        setProgress({ done: index + 1, total: parts.length });
      }
    } catch (reason) {
      setError(reason);
    }
    setResult(total);
  }

  async function exportAll() {
    const response = await fetch(urlOf('/api/v1/organisations/{orgId}/supporters/export', { orgId }, { format: 'csv' }), { headers: authHeaders('GET'), credentials: 'same-origin' });
    if (!response.ok) return setError(new Error(String(response.status)));
    const url = URL.createObjectURL(await response.blob());
    const link = document.createElement('a');
    link.href = url;
    link.download = 'supporters-export.csv';
    link.click();
    URL.revokeObjectURL(url);
  }

  async function erase(supporterId: string) {
    try {
      await call('POST', '/api/v1/organisations/{orgId}/supporters/{supporterId}/erase', { path: { orgId, supporterId } });
      setNotice(t('supporters.erased'));
      setFound((all) => all && { ...all, hits: all.hits.filter((h) => h.id !== supporterId) });
      setErasing(undefined);
    } catch (reason) {
      setError(reason);
    }
  }

  return (
    <Page title={t('supporters.title')}>
      <Counts orgId={orgId} />
      {notice && <Notice>{notice}</Notice>}
      <ErrorNote error={error} />
      <h2>{t('supporters.search')}</h2>
      <form className="row" onSubmit={search}>
        <Field label={t('supporters.searchLabel')}>
          {(id) => <input id={id} type="text" inputMode="email" autoComplete="off" required maxLength={320} value={contact} onChange={(e) => setContact(e.target.value)} />}
        </Field>
        <button type="submit">{t('supporters.find')}</button>
      </form>
      {found && found.hits.length === 0 && <p role="status">{t('supporters.noMatch')}</p>}
      {found?.hits.map((hit) => {
        const id = hit.id;
        return (
          <div key={id} className="card">
            <p data-testid="supporter-hit">
              {hit.email ?? found.searched} · {hit.language}
              {channelStatesOf(hit).map(({ channel, state }) => (
                <span key={channel} data-channel={channel}>
                  {' · '}
                  {t('supporters.channelState', { channel: t(`channels.${channel}`, { defaultValue: channel }), state: t(`supporterState.${state}`, { defaultValue: state }) })}
                </span>
              ))}
            </p>
            {erasing === id ? (
              <div className="row">
                <span>{t('supporters.eraseConfirm')}</span>
                <button type="button" className="danger" onClick={() => void erase(id)}>
                  {t('supporters.eraseYes')}
                </button>
                <button type="button" onClick={() => setErasing(undefined)}>
                  {t('common.back')}
                </button>
              </div>
            ) : (
              <button type="button" className="danger" onClick={() => setErasing(id)}>
                {t('supporters.erase')}
              </button>
            )}
          </div>
        );
      })}
      <h2>{t('supporters.import')}</h2>
      <p className="hint">{t('supporters.importHint')}</p>
      <Field label={t('supporters.importFile')}>
        {(id) => <input id={id} type="file" accept=".csv,text/csv" onChange={(e) => e.target.files?.[0] && void importFile(e.target.files[0])} />}
      </Field>
      {progress && (
        <p>
          <label htmlFor="import-progress">{t('supporters.importProgress', progress)}</label>{' '}
          <progress id="import-progress" max={progress.total} value={progress.done} />
        </p>
      )}
      {result && (
        <div role="status">
          <p>{t('supporters.imported', { count: result.imported })}</p>
          {result.skipped.length > 0 && (
            <table data-testid="import-errors">
              <caption>{t('supporters.skipped', { count: result.skipped.length })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('supporters.line')}</th>
                  <th scope="col">{t('supporters.reason')}</th>
                </tr>
              </thead>
              <tbody>
                {result.skipped.map((row) => (
                  <tr key={`${row.line}-${row.reason}`}>
                    <td>{row.line}</td>
                    <td>{row.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
      <h2>{t('supporters.export')}</h2>
      <button type="button" onClick={() => void exportAll()}>
        {t('supporters.exportCsv')}
      </button>
    </Page>
  );
}
