import { useStandardNetwork } from '../support/standard-network';
import './join-page';
import './sms';
import './supporter-rights';
import './console-previews';
import './mission';
import './console-mission';

/**
 * Supporters' and campaigners' journeys, one suite per file beside this one, all on one standard network
 * (test/support/standard-network.ts): a network for each would cost more than their tests.
 */
useStandardNetwork();
