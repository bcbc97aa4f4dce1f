import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BusService } from '@clarion/contracts';
import { busEnv, ensureBusKeys, type BusKeys } from '@clarion/infra';

let keys: BusKeys | undefined;

/**
 * The bus settings a service's configuration requires (its seed file and every
 * public key), made once per test process in a temporary folder: for unit
 * tests that parse a configuration and never connect.
 */
export function testBusEnv(service: BusService = 'delivery'): Record<string, string> {
  keys ??= ensureBusKeys(join(mkdtempSync(join(tmpdir(), 'clarion-bus-')), 'bus'));
  return busEnv(keys, service) as Record<string, string>;
}
