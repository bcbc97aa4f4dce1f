/** Subscriptions' suites on the directory, sign-in, relays and the fan-out: one jest module registry (decision 0038). */
import './accounts/sign-in.int-suite';
import './memberships/membership.int-suite';
import './public-relays/public-relay.int-suite';
import './relays/relay.int-suite';
import './relays/review-notices.int-suite';
import './tokens/token.int-suite';
import './tokens/first-admin.int-suite';
import './fan-out/fan-out.int-suite';
