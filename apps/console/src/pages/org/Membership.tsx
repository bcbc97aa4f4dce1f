import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client';
import { MEMBERSHIP_CHANNELS, type CoalitionView, type InvitationView, type MembershipChannel, type MembershipView, type RelayPolicy } from '../../api/views';
import { ErrorNote, Field, Loading, Notice, Page, useLoad } from '../../components/ui';
import { orgOf, useMe } from '../../session';

const list = (value: string) => value.split(/[\s,;]+/).map((v) => v.trim()).filter(Boolean);

interface Settings {
  policy: 'auto' | 'review';
  deadlineMinutes: number;
  onDeadline: 'approve' | 'drop';
  topics: string;
  regions: string;
  languages: string;
  channels: MembershipChannel[];
}

const settingsOf = (m?: MembershipView): Settings => ({
  policy: m?.relayPolicy.mode ?? 'review',
  deadlineMinutes: m?.relayPolicy.mode === 'review' ? m.relayPolicy.deadlineMinutes : 30,
  onDeadline: m?.relayPolicy.mode === 'review' ? m.relayPolicy.onDeadline : 'approve',
  topics: m?.filters.topics.join(', ') ?? '',
  regions: m?.filters.regions.join(', ') ?? '',
  languages: m?.filters.languages.join(', ') ?? '',
  // A new membership sends by email and push; SMS costs per text, so an organisation turns it on itself.
  channels: m ? m.channels : ['email', 'push'],
});

function bodyOf(s: Settings) {
  const relayPolicy: RelayPolicy = s.policy === 'auto' ? { mode: 'auto' } : { mode: 'review', deadlineMinutes: Number(s.deadlineMinutes), onDeadline: s.onDeadline };
  return {
    relayPolicy,
    filters: { topics: list(s.topics), regions: list(s.regions).map((r) => r.toUpperCase()), languages: list(s.languages) },
    channels: MEMBERSHIP_CHANNELS.filter((channel) => s.channels.includes(channel)),
  };
}

/** One coalition's settings: relay policy (at once, or after review with a deadline and default), filters, channels. */
function SettingsForm({ title, initial, onSave }: { title: string; initial: Settings; onSave: (s: Settings) => Promise<void> }) {
  const { t } = useTranslation();
  const [s, setS] = useState(initial);
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  const set = <K extends keyof Settings>(key: K, value: Settings[K]) => (setSaved(false), setS((v) => ({ ...v, [key]: value })));
  return (
    <form
      className="card stack"
      onSubmit={(e) => {
        e.preventDefault();
        setError(undefined);
        onSave(s).then(() => setSaved(true), setError);
      }}
    >
      <h2>{title}</h2>
      <fieldset>
        <legend>{t('membership.policy')}</legend>
        <label className="check">
          <input type="radio" name={`${title}-policy`} checked={s.policy === 'auto'} onChange={() => set('policy', 'auto')} /> {t('membership.auto')}
        </label>
        <label className="check">
          <input type="radio" name={`${title}-policy`} checked={s.policy === 'review'} onChange={() => set('policy', 'review')} /> {t('membership.review')}
        </label>
        {s.policy === 'review' && (
          <>
            <Field label={t('membership.deadline')}>
              {(id) => <input id={id} type="number" min={1} max={10080} value={s.deadlineMinutes} onChange={(e) => set('deadlineMinutes', Number(e.target.value))} />}
            </Field>
            <Field label={t('membership.onDeadline')}>
              {(id) => (
                <select id={id} value={s.onDeadline} onChange={(e) => set('onDeadline', e.target.value as Settings['onDeadline'])}>
                  <option value="approve">{t('membership.defaultApprove')}</option>
                  <option value="drop">{t('membership.defaultDrop')}</option>
                </select>
              )}
            </Field>
          </>
        )}
      </fieldset>
      <fieldset>
        <legend>{t('membership.filters')}</legend>
        <Field label={t('compose.topics')} hint={t('membership.emptyAll')}>
          {(id, hint) => <input id={id} aria-describedby={hint} value={s.topics} onChange={(e) => set('topics', e.target.value)} />}
        </Field>
        <Field label={t('compose.regions')} hint={t('membership.emptyAll')}>
          {(id, hint) => <input id={id} aria-describedby={hint} value={s.regions} onChange={(e) => set('regions', e.target.value)} />}
        </Field>
        <Field label={t('membership.languages')} hint={t('membership.emptyAll')}>
          {(id, hint) => <input id={id} aria-describedby={hint} value={s.languages} onChange={(e) => set('languages', e.target.value)} />}
        </Field>
      </fieldset>
      <fieldset>
        <legend>{t('membership.channels')}</legend>
        {MEMBERSHIP_CHANNELS.map((channel) => (
          <label className="check" key={channel}>
            <input
              type="checkbox"
              checked={s.channels.includes(channel)}
              onChange={(e) => set('channels', e.target.checked ? [...s.channels, channel] : s.channels.filter((c) => c !== channel))}
            />{' '}
            {t(`channels.${channel}`)}
          </label>
        ))}
      </fieldset>
      <ErrorNote error={error} />
      {saved && <Notice>{t('common.saved')}</Notice>}
      <button type="submit" className="primary">
        {t('common.save')}
      </button>
    </form>
  );
}

export function Membership() {
  const { t } = useTranslation();
  const orgId = orgOf(useMe().grant) ?? '';
  const memberships = useLoad(() => call<MembershipView[]>('GET', '/api/v1/organisations/{orgId}/memberships', { path: { orgId } }), [orgId]);
  const invitations = useLoad(() => call<InvitationView[]>('GET', '/api/v1/organisations/{orgId}/invitations', { path: { orgId } }), [orgId]);
  const coalitions = useLoad(() => call<CoalitionView[]>('GET', '/api/v1/coalitions'), []);
  const nameOf = (id: string) => coalitions.data?.find((c) => c.id === id)?.name ?? id;
  const open = (invitations.data ?? []).filter((i) => i.status === 'pending');
  if (memberships.loading) return <Loading />;
  return (
    <Page title={t('membership.title')}>
      <ErrorNote error={memberships.error ?? invitations.error} />
      {(memberships.data ?? []).map((m) => (
        <SettingsForm
          key={m.id}
          title={t('membership.coalition', { name: nameOf(m.coalitionId) })}
          initial={settingsOf(m)}
          onSave={async (s) => {
            await call('PATCH', '/api/v1/organisations/{orgId}/memberships/{membershipId}', { path: { orgId, membershipId: m.id }, body: bodyOf(s) });
            memberships.reload();
          }}
        />
      ))}
      {open.map((invitation) => (
        <SettingsForm
          key={invitation.id}
          title={t('membership.invited', { name: nameOf(invitation.coalitionId) })}
          initial={settingsOf()}
          onSave={async (s) => {
            await call('POST', '/api/v1/organisations/{orgId}/memberships', { path: { orgId }, body: { coalitionId: invitation.coalitionId, ...bodyOf(s) } });
            memberships.reload();
            invitations.reload();
          }}
        />
      ))}
      {!memberships.loading && (memberships.data ?? []).length === 0 && open.length === 0 && <p className="muted">{t('membership.none')}</p>}
    </Page>
  );
}
