import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ProgressController } from './progress.controller';
import { ProgressPublisher } from './progress.publisher';
import { ProgressRepository } from './progress.repository';
import { RelayProgress, RelayProgressSchema } from './progress.schema';
import { ProgressService } from './progress.service';

/** Per-relay counters and clicks, published live and answered on request. */
@Module({
  imports: [MongooseModule.forFeature([{ name: RelayProgress.name, schema: RelayProgressSchema }])],
  controllers: [ProgressController],
  providers: [ProgressRepository, ProgressPublisher, ProgressService],
  exports: [ProgressService, ProgressRepository],
})
export class ProgressModule {}
