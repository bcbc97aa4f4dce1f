import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { Stored } from '../common/stored';

/** An organisation's sending secrets: its VAPID key pair (its own, so it can take its push subscriptions with it) and its own SMTP server, if any. */
@Schema({ collection: 'org_keys', timestamps: { createdAt: true, updatedAt: false } })
export class OrgKeys {
  @Prop({ required: true }) orgId!: string;
  @Prop({ required: true }) vapidPublicKey!: string;
  /** Sealed with SecretBox(SECRET_KEY): a copy of the database alone cannot sign pushes. */
  @Prop({ required: true }) vapidPrivateKeySealed!: string;
  /** The organisation's own SMTP server, JSON `{ url, from }` sealed like the private key (the URL may hold a password); absent: the network's. */
  @Prop() smtpSealed?: string;
  createdAt!: Date;
}

export const OrgKeysSchema = SchemaFactory.createForClass(OrgKeys);
// The organisation's keys by its id; unique, so replicas or retries creating keys together keep one pair.
OrgKeysSchema.index({ orgId: 1 }, { unique: true });

export type OrgKeysRecord = Stored<OrgKeys>;
export type NewOrgKeys = Omit<OrgKeys, 'createdAt' | 'smtpSealed'>;
