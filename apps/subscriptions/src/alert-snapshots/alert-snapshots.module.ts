import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AlertSnapshotConsumer } from './alert-snapshot.consumer';
import { AlertSnapshotRepository } from './alert-snapshot.repository';
import { AlertSnapshot, AlertSnapshotSchema } from './alert-snapshot.schema';

/** The newest version of each published alert, kept from alerts' facts, for relays, previews, fan-out and public pages. */
@Module({
  imports: [MongooseModule.forFeature([{ name: AlertSnapshot.name, schema: AlertSnapshotSchema }])],
  providers: [AlertSnapshotRepository, AlertSnapshotConsumer],
  exports: [AlertSnapshotRepository],
})
export class AlertSnapshotsModule {}
