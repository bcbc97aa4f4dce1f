import { useStandardNetwork } from '../support/standard-network';
import './control-plane';
import './alert-lifecycle';
import './resend-failed';
import './console-reads';
import './webhooks';

/**
 * An alert's life, from publish and relay to correction, cancellation, resending what failed, reading it
 * back and the signed webhooks that tell organisations' own systems, one suite per file beside this one,
 * all on one standard network (test/support/standard-network.ts): a network for each would cost more than
 * their tests.
 */
useStandardNetwork();
