import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { call } from '../../api/client';
import type { AlertPreview, RelayView } from '../../api/views';
import { MessagePreviews } from '../../components/Previews';
import { Countdown, ErrorNote, Field, Loading, Notice, Page, StatusBadge, useActions, useLoad } from '../../components/ui';
import { orgOf, useMe } from '../../session';

/**
 * One relay to decide: the organisation's own intro and call-to-action link,
 * a preview as its supporters will get it, approve or decline, with the
 * deadline counting down.
 */
export function RelayReview() {
  const { t } = useTranslation();
  const { relayId = '' } = useParams();
  const orgId = orgOf(useMe().grant) ?? '';
  const { data, error, reload } = useLoad(() => call<RelayView[]>('GET', '/api/v1/organisations/{orgId}/relays', { path: { orgId } }), [orgId]);
  const relay = data?.find((r) => r.id === relayId);
  const [intro, setIntro] = useState<string>();
  const [ctaUrl, setCtaUrl] = useState<string>();
  const [reason, setReason] = useState('');
  const [previews, setPreviews] = useState<AlertPreview[]>();
  const { act, attempt, done, error: actionError } = useActions(reload);

  if (error) return <Page title={t('review.title')}><ErrorNote error={error} /></Page>;
  if (!data) return <Loading />;
  if (!relay) return <Page title={t('review.title')}><p>{t('review.notFound')}</p></Page>;
  const currentIntro = intro ?? relay.intro ?? '';
  const currentCta = ctaUrl ?? relay.ctaUrl ?? '';
  const edits = { ...(currentIntro ? { intro: currentIntro } : {}), ...(currentCta ? { ctaUrl: currentCta } : {}) };

  async function preview() {
    await attempt(async () => setPreviews(await call<AlertPreview[]>('POST', '/api/v1/organisations/{orgId}/relays/{relayId}/preview', { path: { orgId, relayId }, body: edits })));
  }

  const pending = relay.status === 'pending';
  return (
    <Page title={relay.title}>
      <p className="row">
        <StatusBadge status={relay.status} />
        <span className="badge">{t(`urgency.${relay.urgency}`, { defaultValue: relay.urgency })}</span>
        {pending && relay.deadline && (
          <span>
            {t(relay.onDeadline === 'approve' ? 'reviews.decidesApprove' : 'reviews.decidesDrop')} <Countdown deadline={relay.deadline} />
          </span>
        )}
      </p>
      {done && <Notice>{done}</Notice>}
      <ErrorNote error={actionError} />
      {pending && (
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            void act(t('review.approved'), () => call('POST', '/api/v1/organisations/{orgId}/relays/{relayId}/approve', { path: { orgId, relayId }, body: edits }));
          }}
        >
          <Field label={t('review.intro')} hint={t('review.introHint')}>
            {(id, hint) => <textarea id={id} aria-describedby={hint} rows={3} maxLength={500} value={currentIntro} onChange={(e) => setIntro(e.target.value)} />}
          </Field>
          <Field label={t('review.ctaUrl')} hint={t('review.ctaUrlHint')}>
            {(id, hint) => <input id={id} aria-describedby={hint} type="url" inputMode="url" value={currentCta} onChange={(e) => setCtaUrl(e.target.value)} />}
          </Field>
          <div className="row sticky-actions">
            <button type="button" onClick={() => void preview()}>
              {t('compose.preview')}
            </button>
            <button type="submit" className="primary big">
              {t('review.approve')}
            </button>
          </div>
          <details>
            <summary>{t('review.decline')}</summary>
            <Field label={t('review.declineReason')}>
              {(id) => <input id={id} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />}
            </Field>
            <button
              type="button"
              className="danger"
              onClick={() => void act(t('review.declined'), () => call('POST', '/api/v1/organisations/{orgId}/relays/{relayId}/decline', { path: { orgId, relayId }, body: reason ? { reason } : {} }))}
            >
              {t('review.declineYes')}
            </button>
          </details>
        </form>
      )}
      {!pending && relay.intro && (
        <p>
          <span className="muted">{t('review.intro')}:</span> {relay.intro}
        </p>
      )}
      {previews && <MessagePreviews previews={previews} />}
    </Page>
  );
}
