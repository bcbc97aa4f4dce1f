/** Subscriptions' suites on supporters and organisations' senders: one jest module registry (decision 0038). */
import './supporters/supporters.int-suite';
import './supporters/bus-erasure.int-suite';
import './sender-identity/sender-smtp.int-suite';
import './sender-identity/sender-secrets.migration.int-suite';
