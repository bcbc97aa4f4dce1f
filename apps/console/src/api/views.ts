import type { paths } from './schema';

/** The JSON body of a success answer, as the gateway's OpenAPI document describes it. */
type Answer<P extends keyof paths, M extends 'get' | 'post', S extends number> = paths[P][M] extends { responses: infer R }
  ? R extends Record<S, { content: { 'application/json': infer Body } }>
    ? Body
    : never
  : never;

// Generated from the document: sign-in, sessions and accounts.
export type SessionView = Answer<'/api/v1/auth/session', 'get', 200>;
export type SessionListItem = Answer<'/api/v1/auth/sessions', 'get', 200>[number];
export type AccountView = Answer<'/api/v1/accounts', 'get', 200>[number];

// The other answers the console reads. Generated wherever the document describes the answer; written
// here: the live progress events (Server-Sent Events, outside the document) and the editors' inputs.

export type AlertStatus = 'draft' | 'awaiting_approval' | 'approved' | 'scheduled' | 'published' | 'cancelled' | 'expired';
export type Urgency = 'low' | 'normal' | 'high' | 'critical';

export interface AlertText {
  title: string;
  body: string;
  bodyHtml?: string;
  ctaLabel: string;
}

export type AlertView = Answer<'/api/v1/alerts/{alertId}', 'get', 200>;

export interface AlertInput {
  primaryLanguage: string;
  texts: Record<string, { title: string; body: string; ctaLabel: string }>;
  ctaUrl: string;
  urgency: Urgency;
  topics: string[];
  regions: string[];
  expiresAt?: string;
}

export type AlertPreview = Answer<'/api/v1/coalitions/{coalitionId}/alerts/preview', 'post', 200>[number];

export type RelayListItem = Answer<'/api/v1/alerts/{alertId}/relays/list', 'get', 200>[number];

export type RelayCounts = Answer<'/api/v1/alerts/{alertId}/relays', 'get', 200>;

export type RelayView = Answer<'/api/v1/organisations/{orgId}/relays', 'get', 200>[number];

export interface ChannelTotals {
  targeted: number;
  sent: number;
  failed: number;
  suppressed: number;
}

export interface ProgressTotals {
  alertId: string;
  channels: Record<string, ChannelTotals>;
  clicked: number;
  relays: Record<string, number>;
  relaysSending: number;
  updatedAt?: string;
}

export type OrganisationView = Answer<'/api/v1/organisations/{orgId}', 'get', 200>;

/** GET /alerts/{alertId}/changes: the alert against its last approved or published content. */
export type AlertChanges = Answer<'/api/v1/alerts/{alertId}/changes', 'get', 200>;

export type CoalitionView = Answer<'/api/v1/coalitions/{coalitionId}', 'get', 200>;

export type InvitationView = Answer<'/api/v1/organisations/{orgId}/invitations', 'get', 200>[number];

export type RelayPolicy = { mode: 'auto' } | { mode: 'review'; deadlineMinutes: number; onDeadline: 'approve' | 'drop' };

/** The channels a membership may send on (the registry's, libs/channels). */
export const MEMBERSHIP_CHANNELS = ['email', 'push', 'sms'] as const;
export type MembershipChannel = (typeof MEMBERSHIP_CHANNELS)[number];

export type MembershipView = Answer<'/api/v1/organisations/{orgId}/memberships', 'get', 200>[number];

export type TokenView = Answer<'/api/v1/tokens', 'get', 200>[number];
/** A new token: its secret is in this answer only. */
export type CreatedTokenView = Answer<'/api/v1/tokens', 'post', 201>;

export type SupporterCounts = Answer<'/api/v1/organisations/{orgId}/supporters/counts', 'get', 200>;
/** The supporter with the address searched for: `<channel>State` for each channel they have. */
export type SupporterHit = Answer<'/api/v1/organisations/{orgId}/supporters', 'get', 200>['supporters'][number];

export type SenderSmtpView = Answer<'/api/v1/organisations/{orgId}/sender/smtp', 'get', 200>;

export interface ImportResult {
  imported: number;
  skipped: { line: number; reason: string }[];
}

export type FailureView = Answer<'/api/v1/organisations/{orgId}/alerts/{alertId}/failures', 'get', 200>['failures'][number];
