import { Unavailable } from '@clarion/errors';
import { ServiceReadiness } from './service-readiness';

const up = { service: 'alerts', status: 'up' as const, components: { nats: { status: 'up' as const }, database: { status: 'up' as const } }, uptimeSeconds: 1 };
const dbDown = { ...up, status: 'down' as const, components: { nats: { status: 'up' as const }, database: { status: 'down' as const, detail: 'not connected' } } };

describe('ServiceReadiness', () => {
  it('lets every request through for a service never heard from, or ready', () => {
    const readiness = new ServiceReadiness();
    expect(() => readiness.assertReady('alerts.alert.get.v1')).not.toThrow();
    readiness.record('alerts', up);
    expect(() => readiness.assertReady('alerts.alert.get.v1')).not.toThrow();
  });

  it('refuses requests to a service that reports a component down, naming it, until it reports ready again', () => {
    const readiness = new ServiceReadiness();
    readiness.record('alerts', dbDown);
    expect(() => readiness.assertReady('alerts.alert.get.v1')).toThrow(Unavailable);
    expect(() => readiness.assertReady('alerts.alert.get.v1')).toThrow('alerts is not ready (database: not connected)');
    expect(() => readiness.assertReady('subscriptions.directory.resolve-token.v1')).not.toThrow();
    readiness.record('alerts', up);
    expect(() => readiness.assertReady('alerts.alert.get.v1')).not.toThrow();
  });

  it('always lets health and ping through, so readiness can come back', () => {
    const readiness = new ServiceReadiness();
    readiness.record('alerts', dbDown);
    expect(() => readiness.assertReady('alerts.system.health.v1')).not.toThrow();
    expect(() => readiness.assertReady('alerts.system.ping.v1')).not.toThrow();
  });

  it('does not refuse a service that only failed to answer the check in time (it may be busy)', () => {
    const readiness = new ServiceReadiness();
    readiness.record('alerts', dbDown);
    readiness.record('alerts', { status: 'down' });
    expect(() => readiness.assertReady('alerts.alert.get.v1')).not.toThrow();
  });
});
