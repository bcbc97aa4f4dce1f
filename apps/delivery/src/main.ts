import 'reflect-metadata';
import { deliveryConfigSchema, loadConfigOrExit } from '@clarion/config';
import { bootstrapService } from '@clarion/service-kit';
import { DeliveryModule } from './delivery.module';

const config = loadConfigOrExit('delivery', deliveryConfigSchema);
void bootstrapService({ service: 'delivery', module: DeliveryModule.forRoot(config), config });
