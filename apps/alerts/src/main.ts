import 'reflect-metadata';
import { alertsConfigSchema, loadConfigOrExit } from '@clarion/config';
import { bootstrapService } from '@clarion/service-kit';
import { AlertsModule } from './alerts.module';

const config = loadConfigOrExit('alerts', alertsConfigSchema);
void bootstrapService({ service: 'alerts', module: AlertsModule.forRoot(config), config });
