import type { paths } from './schema';
import type { Grant } from './client';

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

// The other answers the console reads, as the gateway's contracts describe them (libs/contracts).
// TODO: take these from the generated schema too (the document now describes them); the
// previews and "what changed" land with their endpoints.

export type AlertStatus = 'draft' | 'awaiting_approval' | 'approved' | 'scheduled' | 'published' | 'cancelled' | 'expired';
export type Urgency = 'low' | 'normal' | 'high' | 'critical';

export interface AlertText {
  title: string;
  body: string;
  bodyHtml?: string;
  ctaLabel: string;
}

export interface AlertView {
  id: string;
  coalitionId: string;
  status: AlertStatus;
  version: number;
  primaryLanguage: string;
  texts: Record<string, AlertText>;
  ctaUrl: string;
  urgency: Urgency;
  topics: string[];
  regions: string[];
  expiresAt?: string;
  scheduledFor?: string;
  publishedAt?: string;
  cancelledAt?: string;
  createdBy: string;
  approvedBy?: string;
  createdAt: string;
  updatedAt: string;
}

export interface AlertInput {
  primaryLanguage: string;
  texts: Record<string, { title: string; body: string; ctaLabel: string }>;
  ctaUrl: string;
  urgency: Urgency;
  topics: string[];
  regions: string[];
  expiresAt?: string;
}

export interface AlertPreview {
  language: string;
  email: { subject: string; html: string; text: string };
  push: { title: string; body: string; url: string };
}

export interface RelayListItem {
  orgId: string;
  orgName: string;
  status: string;
  decidedAt?: string;
  deadline?: string;
}

export interface RelayCounts {
  alertId: string;
  organisations: number;
  pending: number;
  approved: number;
  declined: number;
  cancelled: number;
}

export interface RelayView {
  id: string;
  orgId: string;
  coalitionId: string;
  alertId: string;
  alertVersion: number;
  title: string;
  urgency: string;
  status: 'pending' | 'approved' | 'declined' | 'cancelled';
  channels: string[];
  deadline?: string;
  onDeadline?: 'approve' | 'drop';
  intro?: string;
  ctaUrl?: string;
  decidedBy?: string;
  decidedAt?: string;
  createdAt: string;
}

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

export interface OrganisationView {
  id: string;
  name: string;
  slug: string;
  country: string;
  languages: string[];
  branding: { logoUrl?: string; colour: string; senderName: string };
  /** The topics its join page offers; absent: every topic of its coalitions. */
  joinTopics?: string[];
  createdAt: string;
}

/** GET /alerts/{alertId}/changes: the alert against its last approved or published content. */
export interface AlertChanges {
  alertId: string;
  status: AlertStatus;
  since?: { kind: 'approved' | 'published'; version: number; at: string };
  changes: { field: string; before?: string | string[]; after?: string | string[] }[];
}

export interface CoalitionView {
  id: string;
  name: string;
  slug: string;
  description?: string;
  requireSecondApproval: boolean;
  createdAt: string;
}

export interface InvitationView {
  id: string;
  coalitionId: string;
  orgId: string;
  status: 'pending' | 'accepted';
  createdAt: string;
}

export type RelayPolicy = { mode: 'auto' } | { mode: 'review'; deadlineMinutes: number; onDeadline: 'approve' | 'drop' };

/** The channels a membership may send on (the registry's, libs/channels). */
export const MEMBERSHIP_CHANNELS = ['email', 'push', 'sms'] as const;
export type MembershipChannel = (typeof MEMBERSHIP_CHANNELS)[number];

export interface MembershipView {
  id: string;
  orgId: string;
  coalitionId: string;
  filters: { topics: string[]; regions: string[]; languages: string[] };
  channels: MembershipChannel[];
  relayPolicy: RelayPolicy;
  createdAt: string;
}

export interface TokenView {
  id: string;
  name: string;
  grant: Grant;
  createdAt: string;
  revokedAt?: string;
  token?: string;
}

export interface SupporterCounts {
  email: Record<string, number>;
  push: Record<string, number>;
  [key: string]: unknown;
}

export interface SenderSmtpView {
  orgId: string;
  smtp: { host: string; port: number; secure: boolean; user?: string; from: string } | null;
}

export interface ImportResult {
  imported: number;
  skipped: { line: number; reason: string }[];
}

export interface FailureView {
  supporterId: string;
  channel: string;
  reason: string;
  at: string;
}
