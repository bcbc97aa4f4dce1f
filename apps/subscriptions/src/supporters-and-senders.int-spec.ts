/**
 * The subscriptions service's integration suites about supporters and organisations' senders, in one jest module
 * registry: each suite (a *.int-suite.ts file beside its feature) starts what it needs and stops it, as a file
 * of its own would, but the modules they share load once for all of them, not once per suite: about 2,000 where
 * a suite runs a service, some 2 CPU-seconds each (decision 0038).
 * One suite alone: this file and jest's -t with the suite's name.
 */
import './supporters/supporters.int-suite';
import './supporters/bus-erasure.int-suite';
import './sender-identity/sender-smtp.int-suite';
import './sender-identity/sender-secrets.migration.int-suite';
