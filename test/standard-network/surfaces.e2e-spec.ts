import { useStandardNetwork } from '../support/standard-network';
import './console-pages';
import './bad-input';
import './tenancy';
import './public-language';
import './public-pages';
import './security-headers';
import './event-bindings';
import './bus-security';

/**
 * The consoles' screens, and the API's, the public pages' and the bus's surfaces under misuse, one suite per
 * file beside this one, all on one standard network (test/support/standard-network.ts): a network for each would
 * cost more than their tests. No suite here refuses a national number, so the console screens read them as French.
 */
useStandardNetwork({ gateway: { SMS_DEFAULT_REGION: 'FR' } });
