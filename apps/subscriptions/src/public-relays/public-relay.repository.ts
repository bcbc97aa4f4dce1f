import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { Relay, type RelayRecord } from '../relays/relay.schema';

/**
 * A relay by its id alone, read-only, for its public page: the id in the
 * link is the only thing the public knows. relays/relay.repository.ts owns
 * the aggregate; this lookup belongs there and can move once that file settles.
 */
@Injectable()
export class PublicRelayRepository {
  constructor(@InjectModel(Relay.name) private readonly relays: Model<Relay>) {}

  findById(relayId: string): Promise<RelayRecord | null> {
    return this.relays.findById(relayId).lean<RelayRecord>().exec();
  }
}
