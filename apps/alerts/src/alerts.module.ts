import { Module, type DynamicModule } from '@nestjs/common';
import type { AlertsConfig } from '@clarion/config';
import { ServiceCoreModule } from '@clarion/service-kit';

@Module({})
export class AlertsModule {
  static forRoot(config: AlertsConfig): DynamicModule {
    return {
      module: AlertsModule,
      imports: [ServiceCoreModule.forRoot('alerts', config)],
    };
  }
}
