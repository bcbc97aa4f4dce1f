import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { Stored } from '../common/stored';

/** The organisation's own SMTP server: where and as whom in clear, the password sealed to delivery's key. */
export interface StoredSmtp {
  /** smtp(s)://[user@]host[:port], never with a password. */
  url: string;
  from: string;
  /** The URL's password sealed by the gateway for `clarion/smtp-password/<orgId>`; absent when the server takes none. */
  passwordSealed?: string;
}

/** One DKIM key: its selector, public key (base64 DER, as DNS publishes it) and when it was made. */
export interface StoredDkimKey {
  selector: string;
  publicKey: string;
  createdAt: Date;
}

/** The organisation's DKIM signing (docs/decisions/0030): the key in use, sealed to delivery's key, and the one before it. */
export interface StoredDkim {
  domain: string;
  current: StoredDkimKey & { privateKeySealed: string };
  /** The replaced key's public part only: its DNS record should stay until mail signed with it has been read. */
  previous?: StoredDkimKey;
}

/**
 * An organisation's sending identity: its VAPID key pair (its own, so it can take its push subscriptions
 * with it) and its own SMTP server, if any. Its secrets are sealed to delivery's key (docs/decisions/0020):
 * neither this service nor a copy of its database can read them.
 */
@Schema({ collection: 'org_keys', timestamps: { createdAt: true, updatedAt: false } })
export class OrgKeys {
  @Prop({ required: true }) orgId!: string;
  @Prop({ required: true }) vapidPublicKey!: string;
  /** Sealed to delivery's key for `clarion/vapid-private-key/<orgId>` (`x1.…`); a `v1.…` value is the old SecretBox form, migrated at start. */
  @Prop({ required: true }) vapidPrivateKeySealed!: string;
  @Prop({ type: Object }) smtp?: StoredSmtp;
  @Prop({ type: Object }) dkim?: StoredDkim;
  /** Old form (SecretBox, SECRET_KEY) of the SMTP settings, password and all: re-sealed into `smtp` at start, then removed. */
  @Prop() smtpSealed?: string;
  createdAt!: Date;
}

export const OrgKeysSchema = SchemaFactory.createForClass(OrgKeys);
// The organisation's keys by its id; unique, so replicas or retries creating keys together keep one pair.
OrgKeysSchema.index({ orgId: 1 }, { unique: true });

export type OrgKeysRecord = Stored<OrgKeys>;
export type NewOrgKeys = Omit<OrgKeys, 'createdAt' | 'smtp' | 'smtpSealed' | 'dkim'>;
