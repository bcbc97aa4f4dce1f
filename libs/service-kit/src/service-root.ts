import type { DynamicModule, ModuleMetadata, Type } from '@nestjs/common';
import type { CommonConfig } from '@clarion/config';
import { ServiceCoreModule, type BackendService } from './service-core.module';

/**
 * A back-end service's root module: the core every service has
 * (ServiceCoreModule) and the service's feature modules, each registering its
 * own schemas, controllers and providers. Nothing else goes in the root; what
 * features share is a module of its own among them (docs/decisions/0035).
 */
export function serviceRootModule(
  root: Type,
  service: BackendService,
  config: CommonConfig & { MONGO_URL: string },
  features: NonNullable<ModuleMetadata['imports']>,
): DynamicModule {
  return { module: root, imports: [ServiceCoreModule.forRoot(service, config), ...features] };
}
