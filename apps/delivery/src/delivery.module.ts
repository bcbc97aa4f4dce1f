import { Module, type DynamicModule } from '@nestjs/common';
import type { DeliveryConfig } from '@clarion/config';
import { ServiceCoreModule } from '@clarion/service-kit';

@Module({})
export class DeliveryModule {
  static forRoot(config: DeliveryConfig): DynamicModule {
    return {
      module: DeliveryModule,
      imports: [ServiceCoreModule.forRoot('delivery', config)],
    };
  }
}
