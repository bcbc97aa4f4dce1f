import type { InvitationView, MembershipView } from '@clarion/contracts';
import type { InvitationRecord } from './invitation.schema';
import type { MembershipRecord } from './membership.schema';

export function toInvitationView(invitation: InvitationRecord): InvitationView {
  return {
    id: invitation._id.toHexString(),
    coalitionId: invitation.coalitionId,
    orgId: invitation.orgId,
    status: invitation.status,
    createdAt: invitation.createdAt.toISOString(),
  };
}

export function toMembershipView(membership: MembershipRecord): MembershipView {
  return {
    id: membership._id.toHexString(),
    orgId: membership.orgId,
    coalitionId: membership.coalitionId,
    filters: membership.filters,
    channels: membership.channels,
    relayPolicy: membership.relayPolicy,
    createdAt: membership.createdAt.toISOString(),
  };
}
