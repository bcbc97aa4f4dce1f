import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { Erasure, type ErasureRecord } from './erasure.schema';

/** The erasures' audit trail: append-only. */
@Injectable()
export class ErasureRepository {
  constructor(@InjectModel(Erasure.name) private readonly erasures: Model<Erasure>) {}

  async record(erasure: Erasure): Promise<ErasureRecord> {
    const created = await this.erasures.create(erasure);
    return created.toObject<ErasureRecord>();
  }
}
