import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { IdempotencyKeyRepository } from './idempotency-key.repository';
import { IdempotencyKey, IdempotencyKeySchema } from './idempotency-key.schema';
import { IdempotencyKeySweeper } from './idempotency-key.sweeper';
import { IdempotencyService } from './idempotency.service';

/** Idempotency keys: a repeated request answers with its first result (docs/decisions/0013). */
@Module({
  imports: [MongooseModule.forFeature([{ name: IdempotencyKey.name, schema: IdempotencyKeySchema }])],
  providers: [IdempotencyService, IdempotencyKeyRepository, IdempotencyKeySweeper],
  exports: [IdempotencyService],
})
export class IdempotencyModule {}
