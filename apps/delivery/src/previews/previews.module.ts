import { Module } from '@nestjs/common';
import { RenderingModule } from '../rendering/rendering.module';
import { PreviewController } from './preview.controller';

/** Messages rendered by the real templates for the consoles' previews, sent to no one. */
@Module({
  imports: [RenderingModule],
  controllers: [PreviewController],
})
export class PreviewsModule {}
