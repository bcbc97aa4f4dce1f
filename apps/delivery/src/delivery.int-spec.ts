/** The delivery service's integration suites: one jest module registry (decision 0038). */
import './batches/batch.int-suite';
import './channels/email/organisation-smtp.int-suite';
import './channels/push/push-request.int-suite';
import './channels/sms/sms.channel.int-suite';
import './confirmations/confirmation.int-suite';
import './progress/progress.int-suite';
import './rate-limits/rate-limited-delivery.int-suite';
import './rate-limits/send-limits.int-suite';
import './relays/relay-state.int-suite';
