import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * A provider's reply already acted on (an SMS STOP or START), by `<channel>:<the provider's id>`: the insert
 * refused on a duplicate `_id` makes a replayed webhook change nothing (a replayed STOP after a START would
 * otherwise unsubscribe again). Nothing in it names the person.
 */
@Schema({ collection: 'channel_replies', versionKey: false })
export class ChannelReply {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true }) at!: Date;
}

export const ChannelReplySchema = SchemaFactory.createForClass(ChannelReply);
