import { startNetwork, startTestInfra, type Network, type NetworkOptions, type TestInfra } from '@clarion/testing';

/** The harness and the network of a test file, readable once its `beforeAll` has run. */
export interface NetworkUnderTest {
  readonly infra: TestInfra;
  readonly network: Network;
}

/**
 * Starts the harness and the network in the file's `beforeAll` and stops them
 * in reverse in its `afterAll`. Call it inside `describe`, before the file's
 * own hooks, so they run with the network up.
 */
export function useNetwork(options: NetworkOptions = {}): NetworkUnderTest {
  let infra: TestInfra | undefined;
  let network: Network | undefined;
  beforeAll(async () => {
    infra = await startTestInfra();
    network = await startNetwork(infra, options);
  });
  afterAll(async () => {
    await network?.stopAll();
    await infra?.stop();
  });
  const started = <T>(value: T | undefined, name: string): T => {
    if (!value) throw new Error(`useNetwork: the ${name} is not started yet (read it in a hook or a test, not while describing)`);
    return value;
  };
  return {
    get infra() {
      return started(infra, 'harness');
    },
    get network() {
      return started(network, 'network');
    },
  };
}
