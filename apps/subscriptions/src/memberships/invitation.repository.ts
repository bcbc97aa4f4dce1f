import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { isDuplicateKey } from '../common/stored';
import { Invitation, type InvitationRecord } from './invitation.schema';

@Injectable()
export class InvitationRepository implements OnModuleInit {
  constructor(@InjectModel(Invitation.name) private readonly invitations: Model<Invitation>) {}

  /** The unique coalition+organisation index must exist before the first write. */
  async onModuleInit(): Promise<void> {
    await this.invitations.init();
  }

  /** Inviting twice returns the first invitation. */
  async createOnce(coalitionId: string, orgId: string): Promise<InvitationRecord> {
    try {
      return (await this.invitations.create({ coalitionId, orgId, status: 'pending' })).toObject<InvitationRecord>();
    } catch (error) {
      const existing = isDuplicateKey(error) ? await this.find(coalitionId, orgId) : null;
      if (!existing) throw error;
      return existing;
    }
  }

  find(coalitionId: string, orgId: string): Promise<InvitationRecord | null> {
    return this.invitations.findOne({ coalitionId, orgId }).lean<InvitationRecord>().exec();
  }

  listForOrg(orgId: string): Promise<InvitationRecord[]> {
    return this.invitations.find({ orgId }).sort({ createdAt: -1 }).lean<InvitationRecord[]>().exec();
  }

  async coalitionIdsOf(orgId: string): Promise<string[]> {
    const found = await this.invitations.find({ orgId }, { coalitionId: 1 }).lean<Pick<Invitation, 'coalitionId'>[]>().exec();
    return found.map((invitation) => invitation.coalitionId);
  }

  async markAccepted(coalitionId: string, orgId: string): Promise<void> {
    await this.invitations.updateOne({ coalitionId, orgId }, { $set: { status: 'accepted' } }).exec();
  }
}
