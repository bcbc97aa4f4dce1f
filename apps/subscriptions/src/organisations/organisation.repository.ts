import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type { CreateOrganisationInput } from '@clarion/contracts';
import { Conflict } from '@clarion/errors';
import { isDuplicateKey } from '../common/stored';
import { Organisation, type OrganisationRecord } from './organisation.schema';

/** Organisations are tenants themselves: each query names the organisations it may touch. */
@Injectable()
export class OrganisationRepository implements OnModuleInit {
  constructor(@InjectModel(Organisation.name) private readonly organisations: Model<Organisation>) {}

  /** The unique slug index must exist before the first write, or two creates could both succeed. */
  async onModuleInit(): Promise<void> {
    await this.organisations.init();
  }

  async create(input: CreateOrganisationInput): Promise<OrganisationRecord> {
    try {
      return (await this.organisations.create(input)).toObject<OrganisationRecord>();
    } catch (error) {
      if (isDuplicateKey(error)) throw new Conflict(`an organisation with slug ${input.slug} already exists`, 'slug');
      throw error;
    }
  }

  /** Every organisation of the network: for the network admin only. */
  listAll(): Promise<OrganisationRecord[]> {
    return this.organisations.find().sort({ name: 1 }).lean<OrganisationRecord[]>().exec();
  }

  listByIds(orgIds: string[]): Promise<OrganisationRecord[]> {
    return this.organisations.find({ _id: { $in: orgIds } }).sort({ name: 1 }).lean<OrganisationRecord[]>().exec();
  }

  /** `set` and `unset` as dotted paths (`branding.colour`), so the sender name kept in branding stays as it is. */
  update(orgId: string, set: Record<string, unknown>, unset: string[]): Promise<OrganisationRecord | null> {
    const change = { ...(Object.keys(set).length ? { $set: set } : {}), ...(unset.length ? { $unset: Object.fromEntries(unset.map((path) => [path, 1])) } : {}) };
    return this.organisations.findByIdAndUpdate(orgId, change, { new: true }).lean<OrganisationRecord>().exec();
  }

  findById(orgId: string): Promise<OrganisationRecord | null> {
    return this.organisations.findById(orgId).lean<OrganisationRecord>().exec();
  }

  /** By its public address, the join page's slug (the unique slug index). */
  findBySlug(slug: string): Promise<OrganisationRecord | null> {
    return this.organisations.findOne({ slug }).lean<OrganisationRecord>().exec();
  }

  async exists(orgId: string): Promise<boolean> {
    return (await this.organisations.exists({ _id: orgId })) !== null;
  }
}
