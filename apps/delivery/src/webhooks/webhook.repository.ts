import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Types, type Model } from 'mongoose';
import type { WebhookEventType, WebhookOwner } from '@clarion/contracts';
import { isDuplicateKey } from '@clarion/persistence';
import { WebhookEndpoint, WebhookMessage, type WebhookAttempt, type WebhookSecret } from './webhook-endpoint.schema';

export type StoredEndpoint = WebhookEndpoint & { _id: Types.ObjectId };
export type StoredMessage = WebhookMessage & { _id: Types.ObjectId };

/** Endpoints and their delivery log. Every owner query names the owner; an endpoint found by id is checked against its owner by the service. */
@Injectable()
export class WebhookRepository implements OnModuleInit {
  constructor(
    @InjectModel(WebhookEndpoint.name) private readonly endpoints: Model<WebhookEndpoint>,
    @InjectModel(WebhookMessage.name) private readonly messages: Model<WebhookMessage>,
  ) {}

  async onModuleInit(): Promise<void> {
    await Promise.all([this.endpoints.init(), this.messages.init()]);
  }

  async create(owner: WebhookOwner, fields: Pick<WebhookEndpoint, 'url' | 'eventTypes' | 'description'>, secret: (id: string) => WebhookSecret): Promise<StoredEndpoint> {
    const _id = new Types.ObjectId();
    const created = await this.endpoints.create({ _id, ownerKind: owner.kind, ownerId: owner.id, ...fields, disabled: false, secrets: [secret(_id.toHexString())] });
    return created.toObject() as StoredEndpoint;
  }

  listFor(owner: WebhookOwner): Promise<StoredEndpoint[]> {
    return this.endpoints.find({ ownerKind: owner.kind, ownerId: owner.id }).sort({ _id: 1 }).lean<StoredEndpoint[]>().exec();
  }

  countFor(owner: WebhookOwner): Promise<number> {
    return this.endpoints.countDocuments({ ownerKind: owner.kind, ownerId: owner.id }).exec();
  }

  /** Endpoints of these owners that want this event and are not disabled. */
  subscribedTo(owners: WebhookOwner[], eventType: WebhookEventType): Promise<StoredEndpoint[]> {
    if (owners.length === 0) return Promise.resolve([]);
    const or = owners.map((owner) => ({ ownerKind: owner.kind, ownerId: owner.id }));
    return this.endpoints.find({ $or: or, eventTypes: eventType, disabled: false }).lean<StoredEndpoint[]>().exec();
  }

  byId(endpointId: string): Promise<StoredEndpoint | null> {
    return this.endpoints.findById(endpointId).lean<StoredEndpoint>().exec();
  }

  update(endpointId: string, changes: Partial<Pick<WebhookEndpoint, 'url' | 'eventTypes' | 'description' | 'disabled' | 'secrets'>>): Promise<StoredEndpoint | null> {
    return this.endpoints.findByIdAndUpdate(endpointId, { $set: changes }, { new: true }).lean<StoredEndpoint>().exec();
  }

  async remove(endpointId: string): Promise<void> {
    await this.endpoints.deleteOne({ _id: endpointId }).exec();
  }

  /** Opens a log record for a queued webhook; a repeat of the same event finds it. */
  async openMessage(endpointId: string, messageId: string, eventType: WebhookEventType): Promise<void> {
    try {
      await this.messages.create({ endpointId, messageId, eventType, state: 'pending', attempts: [], createdAt: new Date() });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }

  message(endpointId: string, messageId: string): Promise<StoredMessage | null> {
    return this.messages.findOne({ endpointId, messageId }).lean<StoredMessage>().exec();
  }

  async recordAttempt(endpointId: string, messageId: string, eventType: WebhookEventType, attempt: WebhookAttempt, state: WebhookMessage['state']): Promise<void> {
    await this.messages
      .updateOne({ endpointId, messageId }, { $push: { attempts: attempt }, $set: { state }, $setOnInsert: { eventType, createdAt: new Date() } }, { upsert: true })
      .exec();
  }

  /** An endpoint's log, newest first. */
  log(endpointId: string, limit: number): Promise<StoredMessage[]> {
    return this.messages.find({ endpointId }).sort({ createdAt: -1, _id: -1 }).limit(limit).lean<StoredMessage[]>().exec();
  }
}
