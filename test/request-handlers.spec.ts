import 'reflect-metadata';
import type { DynamicModule, Type } from '@nestjs/common';
import { PATTERN_METADATA } from '@nestjs/microservices/constants';
import { alertsConfigSchema, deliveryConfigSchema, gatewayConfigSchema, loadConfig, subscriptionsConfigSchema, type ServiceName } from '@clarion/config';
import { requestContracts, type RequestSubject } from '@clarion/contracts';
import { REQUEST_HANDLER_SUBJECT } from '@clarion/messaging';
import { testBusEnv } from '@clarion/testing';
import { AlertsModule } from '../apps/alerts/src/alerts.module';
import { DeliveryModule } from '../apps/delivery/src/delivery.module';
import { GatewayModule } from '../apps/gateway/src/gateway.module';
import { SubscriptionsModule } from '../apps/subscriptions/src/subscriptions.module';

/**
 * Every request subject of the contracts map has exactly one handler across
 * the services, in the service the map says answers it, and every NATS
 * handler answers a subject of the map through RequestHandler (so its payload
 * is validated against the contract). Read from what Nest itself reads: the
 * controllers of each service's root module and of everything it imports.
 */

type ModuleRef = Type | DynamicModule | Promise<DynamicModule> | { forwardRef: () => Type };

function controllersOf(root: ModuleRef, seen = new Set<unknown>()): Type[] {
  if (root instanceof Promise || 'forwardRef' in root) throw new Error('an async or forward-referenced module: read its controllers another way');
  const dynamic = 'module' in root ? root : undefined;
  const moduleClass = dynamic ? dynamic.module : (root as Type);
  if (seen.has(dynamic ?? moduleClass)) return [];
  seen.add(dynamic ?? moduleClass);
  const controllers: Type[] = [...(Reflect.getMetadata('controllers', moduleClass) ?? []), ...(dynamic?.controllers ?? [])];
  const imports: ModuleRef[] = [...(Reflect.getMetadata('imports', moduleClass) ?? []), ...(dynamic?.imports ?? [])];
  return [...controllers, ...imports.flatMap((imported) => controllersOf(imported, seen))];
}

interface FoundHandler {
  service: ServiceName;
  handler: string;
  patterns: unknown[];
  /** The subject RequestHandler registered, if it was RequestHandler. */
  contractSubject?: string;
}

function handlersOf(service: ServiceName, root: DynamicModule): FoundHandler[] {
  return controllersOf(root).flatMap((controller) => {
    const proto = controller.prototype as Record<string, unknown>;
    return Object.getOwnPropertyNames(proto)
      .filter((name) => name !== 'constructor' && typeof proto[name] === 'function')
      .map((name) => ({ fn: proto[name] as object, handler: `${controller.name}.${name}` }))
      .filter(({ fn }) => Reflect.getMetadata(PATTERN_METADATA, fn) !== undefined)
      .map(({ fn, handler }) => ({
        service,
        handler,
        patterns: Reflect.getMetadata(PATTERN_METADATA, fn) as unknown[],
        contractSubject: Reflect.getMetadata(REQUEST_HANDLER_SUBJECT, fn) as string | undefined,
      }));
  });
}

describe('request handlers', () => {
  const handlers = [
    ...handlersOf('gateway', GatewayModule.forRoot(loadConfig(gatewayConfigSchema, testBusEnv('gateway')))),
    ...handlersOf('alerts', AlertsModule.forRoot(loadConfig(alertsConfigSchema, testBusEnv('alerts')))),
    ...handlersOf('subscriptions', SubscriptionsModule.forRoot(loadConfig(subscriptionsConfigSchema, testBusEnv('subscriptions')))),
    ...handlersOf('delivery', DeliveryModule.forRoot(loadConfig(deliveryConfigSchema, testBusEnv('delivery')))),
  ];

  it('answer only subjects of the contracts map, each through RequestHandler', () => {
    const strays = handlers.filter((h) => h.patterns.length !== 1 || h.contractSubject === undefined || h.patterns[0] !== h.contractSubject);
    expect(strays.map((h) => `${h.service} ${h.handler} ${JSON.stringify(h.patterns)}`)).toEqual([]);
    const unknown = handlers.filter((h) => !Object.prototype.hasOwnProperty.call(requestContracts, String(h.contractSubject)));
    expect(unknown.map((h) => `${h.service} ${h.handler} ${h.contractSubject}`)).toEqual([]);
  });

  it('answer every subject of the map exactly once, in the service the map names', () => {
    const answering = (Object.keys(requestContracts) as RequestSubject[]).map((subject) => ({
      subject,
      answeredBy: handlers.filter((h) => h.contractSubject === subject).map((h) => h.service),
    }));
    expect(answering).toEqual((Object.keys(requestContracts) as RequestSubject[]).map((subject) => ({ subject, answeredBy: [requestContracts[subject].answeredBy] })));
  });
});
