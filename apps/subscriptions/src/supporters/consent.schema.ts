import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { DeliveryChannel } from '@clarion/contracts';
import type { Stored } from '../common/stored';

export type ConsentAction = 'granted' | 'confirmed' | 'withdrawn' | 'imported';
/**
 * `one-click`: RFC 8058's List-Unsubscribe-Post from a mail client; `unsubscribe-link`: the button on the page that link opens;
 * `complaint`: the person marked a message as spam and their mailbox provider told us (docs/decisions/0030).
 */
export type ConsentMethod = 'join-page' | 'email-confirmation' | 'code-confirmation' | 'channel-reply' | 'unsubscribe-link' | 'one-click' | 'preferences' | 'import' | 'complaint';

/** Evidence of consent, one record per change on one channel. Append-only: nothing updates or deletes these. */
@Schema({ collection: 'consents', versionKey: false })
export class Consent {
  @Prop({ required: true }) supporterId!: string;
  @Prop({ required: true }) orgId!: string;
  @Prop({ type: String, required: true }) channel!: DeliveryChannel;
  @Prop({ type: String, required: true }) action!: ConsentAction;
  @Prop({ required: true }) at!: Date;
  @Prop({ type: String, required: true }) method!: ConsentMethod;
  @Prop() ip?: string;
  @Prop() userAgent?: string;
  @Prop() source?: string;
}

export const ConsentSchema = SchemaFactory.createForClass(Consent);
// exportPage: the consent history of a page of an organisation's supporters.
ConsentSchema.index({ orgId: 1, supporterId: 1, at: 1 });

export type ConsentRecord = Stored<Consent>;
