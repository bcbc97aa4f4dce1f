import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type { UpdateMembershipInput } from '@clarion/contracts';
import { Conflict } from '@clarion/errors';
import { isDuplicateKey } from '../common/stored';
import { Membership, type MembershipRecord } from './membership.schema';

/** Every query is scoped by the organisation or the coalition it concerns. */
@Injectable()
export class MembershipRepository implements OnModuleInit {
  constructor(@InjectModel(Membership.name) private readonly memberships: Model<Membership>) {}

  /** The unique organisation+coalition index must exist before the first write. */
  async onModuleInit(): Promise<void> {
    await this.memberships.init();
  }

  async create(membership: Omit<Membership, 'createdAt'>): Promise<MembershipRecord> {
    try {
      return (await this.memberships.create(membership)).toObject<MembershipRecord>();
    } catch (error) {
      if (isDuplicateKey(error)) throw new Conflict('the organisation is already a member of this coalition', 'coalitionId');
      throw error;
    }
  }

  listForOrg(orgId: string): Promise<MembershipRecord[]> {
    return this.memberships.find({ orgId }).sort({ createdAt: 1 }).lean<MembershipRecord[]>().exec();
  }

  listForCoalition(coalitionId: string): Promise<MembershipRecord[]> {
    return this.memberships.find({ coalitionId }).lean<MembershipRecord[]>().exec();
  }

  async orgIdsInCoalition(coalitionId: string): Promise<string[]> {
    const found = await this.memberships.find({ coalitionId }, { orgId: 1 }).lean<Pick<Membership, 'orgId'>[]>().exec();
    return found.map((membership) => membership.orgId);
  }

  async coalitionIdsOf(orgId: string): Promise<string[]> {
    const found = await this.memberships.find({ orgId }, { coalitionId: 1 }).lean<Pick<Membership, 'coalitionId'>[]>().exec();
    return found.map((membership) => membership.coalitionId);
  }

  async isMember(coalitionId: string, orgId: string): Promise<boolean> {
    return (await this.memberships.exists({ orgId, coalitionId })) !== null;
  }

  update(orgId: string, membershipId: string, changes: UpdateMembershipInput): Promise<MembershipRecord | null> {
    return this.memberships
      .findOneAndUpdate({ _id: membershipId, orgId }, { $set: changes }, { new: true })
      .lean<MembershipRecord>()
      .exec();
  }

  delete(orgId: string, membershipId: string): Promise<MembershipRecord | null> {
    return this.memberships.findOneAndDelete({ _id: membershipId, orgId }).lean<MembershipRecord>().exec();
  }
}
