import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { HydratedDocument } from 'mongoose';
import { webhookEventTypes, type WebhookEventType } from '@clarion/contracts';

/** One signing secret, sealed to delivery's own key; a retired one signs until `expiresAt`. */
@Schema({ _id: false })
export class WebhookSecret {
  @Prop({ required: true }) sealed!: string;
  @Prop({ required: true }) createdAt!: Date;
  @Prop() expiresAt?: Date;
}
const WebhookSecretSchema = SchemaFactory.createForClass(WebhookSecret);

@Schema({ collection: 'webhook_endpoints', timestamps: { createdAt: true, updatedAt: true } })
export class WebhookEndpoint {
  @Prop({ type: String, required: true, enum: ['organisation', 'coalition'] }) ownerKind!: 'organisation' | 'coalition';
  @Prop({ required: true }) ownerId!: string;
  @Prop({ required: true }) url!: string;
  @Prop({ type: [String], enum: webhookEventTypes, required: true }) eventTypes!: WebhookEventType[];
  @Prop() description?: string;
  @Prop({ default: false }) disabled!: boolean;
  @Prop({ type: [WebhookSecretSchema], default: [] }) secrets!: WebhookSecret[];
  createdAt!: Date;
}
export type WebhookEndpointDocument = HydratedDocument<WebhookEndpoint>;
export const WebhookEndpointSchema = SchemaFactory.createForClass(WebhookEndpoint);
// The endpoints of an owner that want an event (the dispatcher), and an owner's list.
WebhookEndpointSchema.index({ ownerKind: 1, ownerId: 1, eventTypes: 1 });

@Schema({ _id: false })
export class WebhookAttempt {
  @Prop({ required: true }) at!: Date;
  @Prop() status?: number;
  @Prop() error?: string;
  @Prop({ required: true }) durationMs!: number;
}
const WebhookAttemptSchema = SchemaFactory.createForClass(WebhookAttempt);

/** The delivery log: one record per event and endpoint, its attempts, never a secret or a signature. */
@Schema({ collection: 'webhook_messages' })
export class WebhookMessage {
  @Prop({ required: true }) endpointId!: string;
  @Prop({ required: true }) messageId!: string;
  @Prop({ type: String, required: true, enum: webhookEventTypes }) eventType!: WebhookEventType;
  @Prop({ type: String, required: true, enum: ['pending', 'delivered', 'failed'] }) state!: 'pending' | 'delivered' | 'failed';
  @Prop({ type: [WebhookAttemptSchema], default: [] }) attempts!: WebhookAttempt[];
  @Prop({ required: true }) createdAt!: Date;
}
export const WebhookMessageSchema = SchemaFactory.createForClass(WebhookMessage);
// One record per event and endpoint (a queued repeat finds it); an endpoint's log, newest first.
WebhookMessageSchema.index({ endpointId: 1, messageId: 1 }, { unique: true });
WebhookMessageSchema.index({ endpointId: 1, createdAt: -1 });
