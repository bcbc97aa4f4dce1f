/**
 * The delivery service's integration suites, in one jest module registry: each suite (a *.int-suite.ts file
 * beside its feature) starts what it needs and stops it, as a file of its own would, but the modules they share
 * load once for all of them, not once per suite: about 2,000 where a suite runs a service, some 2 CPU-seconds
 * each (decision 0038).
 * One suite alone: this file and jest's -t with the suite's name.
 */
import './batches/batch.int-suite';
import './channels/email/organisation-smtp.int-suite';
import './channels/push/push-request.int-suite';
import './channels/sms/sms.channel.int-suite';
import './confirmations/confirmation.int-suite';
import './progress/progress.int-suite';
import './rate-limits/rate-limited-delivery.int-suite';
import './rate-limits/send-limits.int-suite';
import './relays/relay-state.int-suite';
