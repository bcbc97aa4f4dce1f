import { Module, type DynamicModule } from '@nestjs/common';
import type { SubscriptionsConfig } from '@clarion/config';
import { ServiceCoreModule } from '@clarion/service-kit';

@Module({})
export class SubscriptionsModule {
  static forRoot(config: SubscriptionsConfig): DynamicModule {
    return {
      module: SubscriptionsModule,
      imports: [ServiceCoreModule.forRoot('subscriptions', config)],
    };
  }
}
