/**
 * The subscriptions service's integration suites about the directory, sign-in, relays and the fan-out, in one
 * jest module registry: each suite (a *.int-suite.ts file beside its feature) starts what it needs and stops it,
 * as a file of its own would, but the modules they share load once for all of them, not once per suite: about
 * 2,000 where a suite runs a service, some 2 CPU-seconds each (decision 0038).
 * One suite alone: this file and jest's -t with the suite's name.
 */
import './accounts/sign-in.int-suite';
import './memberships/membership.int-suite';
import './public-relays/public-relay.int-suite';
import './relays/relay.int-suite';
import './relays/review-notices.int-suite';
import './tokens/token.int-suite';
import './tokens/first-admin.int-suite';
import './fan-out/fan-out.int-suite';
