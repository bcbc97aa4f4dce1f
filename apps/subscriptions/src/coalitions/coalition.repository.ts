import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type { CreateCoalitionInput } from '@clarion/contracts';
import { Conflict } from '@clarion/errors';
import { isDuplicateKey } from '../common/stored';
import { Coalition, type CoalitionRecord } from './coalition.schema';

/** Coalitions are tenants themselves: each query names the coalitions it may touch. */
@Injectable()
export class CoalitionRepository implements OnModuleInit {
  constructor(@InjectModel(Coalition.name) private readonly coalitions: Model<Coalition>) {}

  /** The unique slug index must exist before the first write, or two creates could both succeed. */
  async onModuleInit(): Promise<void> {
    await this.coalitions.init();
  }

  async create(input: CreateCoalitionInput): Promise<CoalitionRecord> {
    try {
      return (await this.coalitions.create(input)).toObject<CoalitionRecord>();
    } catch (error) {
      if (isDuplicateKey(error)) throw new Conflict(`a coalition with slug ${input.slug} already exists`, 'slug');
      throw error;
    }
  }

  /** Every coalition of the network: for the network admin only. */
  listAll(): Promise<CoalitionRecord[]> {
    return this.coalitions.find().sort({ name: 1 }).lean<CoalitionRecord[]>().exec();
  }

  listByIds(coalitionIds: string[]): Promise<CoalitionRecord[]> {
    return this.coalitions.find({ _id: { $in: coalitionIds } }).sort({ name: 1 }).lean<CoalitionRecord[]>().exec();
  }

  setCapFeed(coalitionId: string, capFeedAccess: 'public' | 'token', capFeedTokenHash: string | undefined): Promise<CoalitionRecord | null> {
    const update = capFeedTokenHash ? { $set: { capFeedAccess, capFeedTokenHash } } : { $set: { capFeedAccess }, $unset: { capFeedTokenHash: 1 } };
    return this.coalitions.findByIdAndUpdate(coalitionId, update, { new: true }).lean<CoalitionRecord>().exec();
  }

  findById(coalitionId: string): Promise<CoalitionRecord | null> {
    return this.coalitions.findById(coalitionId).lean<CoalitionRecord>().exec();
  }

  async exists(coalitionId: string): Promise<boolean> {
    return (await this.coalitions.exists({ _id: coalitionId })) !== null;
  }
}
