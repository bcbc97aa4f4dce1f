import { testBusEnv } from '@clarion/testing';
import { ConfigError, loadConfig } from './load-config';
import { serviceConfigSchemas } from './service-config';

/** The one-line error a failed boot prints for these variables. */
function problem(env: Record<string, string>): string {
  try {
    loadConfig(serviceConfigSchemas.alerts, { ...testBusEnv('alerts'), ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('the configuration was accepted');
}

describe('JETSTREAM_REPLICAS', () => {
  it('is 1 unless set, and every service reads it', () => {
    for (const [service, schema] of Object.entries(serviceConfigSchemas)) {
      const env = testBusEnv(service as keyof typeof serviceConfigSchemas);
      expect(loadConfig(schema, env).JETSTREAM_REPLICAS).toBe(1);
      expect(loadConfig(schema, { ...env, JETSTREAM_REPLICAS: '3' }).JETSTREAM_REPLICAS).toBe(3);
    }
  });

  it('refuses anything but a whole number from 1 to 5, naming the variable', () => {
    expect(problem({ JETSTREAM_REPLICAS: '0' })).toBe('invalid configuration: JETSTREAM_REPLICAS must be a whole number from 1 to 5 (got "0")');
    expect(problem({ JETSTREAM_REPLICAS: '6' })).toMatch(/^invalid configuration: JETSTREAM_REPLICAS must be a whole number from 1 to 5 \(JetStream keeps at most 5 copies\)/);
    expect(problem({ JETSTREAM_REPLICAS: '2.5' })).toMatch(/^invalid configuration: JETSTREAM_REPLICAS must be a whole number from 1 to 5/);
    expect(problem({ JETSTREAM_REPLICAS: 'three' })).toMatch(/^invalid configuration: JETSTREAM_REPLICAS must be a whole number from 1 to 5/);
  });
});
