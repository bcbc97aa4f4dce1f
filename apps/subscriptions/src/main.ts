import 'reflect-metadata';
import { subscriptionsConfigSchema, loadConfigOrExit } from '@clarion/config';
import { bootstrapService } from '@clarion/service-kit';
import { SubscriptionsModule } from './subscriptions.module';

const config = loadConfigOrExit('subscriptions', subscriptionsConfigSchema);
void bootstrapService({ service: 'subscriptions', module: SubscriptionsModule.forRoot(config), config });
