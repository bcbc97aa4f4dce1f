import { useStandardNetwork } from '../support/standard-network';
import './control-plane';
import './alert-lifecycle';
import './resend-failed';
import './console-reads';

/**
 * An alert's life, from publish and relay to correction, cancellation, resending what failed and reading it
 * back, one suite per file beside this one, all on one standard network (test/support/standard-network.ts):
 * a network for each would cost more than their tests.
 */
useStandardNetwork();
