/**
 * The alerts service's integration suites, in one jest module registry: each suite (a *.int-suite.ts file beside
 * its feature) starts what it needs and stops it, as a file of its own would, but the modules they share load
 * once for all of them, not once per suite: about 2,000 where a suite runs a service, some 2 CPU-seconds each
 * (decision 0038).
 * One suite alone: this file and jest's -t with the suite's name.
 */
import './alerts/alert-authoring.int-suite';
import './alerts/alert-publication.int-suite';
import './idempotency/idempotent-publish.int-suite';
