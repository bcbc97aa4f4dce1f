import { Module, type DynamicModule } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';

/** Bounds on every database call, so a missing database surfaces as an error in seconds, not a hang. */
export const mongoConnectionOptions = {
  serverSelectionTimeoutMS: 5_000,
  connectTimeoutMS: 5_000,
  socketTimeoutMS: 30_000,
  maxPoolSize: 20,
  // FerretDB does not implement retryable writes; the driver would otherwise reject writes against it.
  retryWrites: false,
} as const;

/** The service's own database through mongoose; other services' data is reached only over NATS. */
@Module({})
export class PersistenceModule {
  static forRoot(url: string): DynamicModule {
    return {
      module: PersistenceModule,
      imports: [MongooseModule.forRoot(url, mongoConnectionOptions)],
      exports: [MongooseModule],
    };
  }
}
