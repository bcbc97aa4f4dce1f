import { Module } from '@nestjs/common';
import { CoalitionsModule } from '../coalitions/coalitions.module';
import { CapFeedController } from './cap-feed.controller';

/** The coalitions' public CAP feeds. */
@Module({
  imports: [CoalitionsModule],
  controllers: [CapFeedController],
})
export class CapModule {}
