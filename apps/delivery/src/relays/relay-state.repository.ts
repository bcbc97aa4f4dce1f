import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { isDuplicateKey } from '@clarion/persistence';
import { RelayState } from './relay-state.schema';

@Injectable()
export class RelayStateRepository implements OnModuleInit {
  constructor(@InjectModel(RelayState.name) private readonly states: Model<RelayState>) {}

  async onModuleInit(): Promise<void> {
    await this.states.init();
  }

  /** Idempotent: a redelivered cancellation finds it recorded. */
  async markCancelled(relay: Pick<RelayState, 'relayId' | 'orgId' | 'alertId'>, at: Date): Promise<void> {
    try {
      await this.states.create({ ...relay, cancelledAt: at });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }

  async isCancelled(relayId: string): Promise<boolean> {
    return (await this.states.exists({ relayId }).exec()) !== null;
  }
}
