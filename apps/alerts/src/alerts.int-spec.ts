/** The alerts service's integration suites: one jest module registry (decision 0038). */
import './alerts/alert-authoring.int-suite';
import './alerts/alert-publication.int-suite';
import './idempotency/idempotent-publish.int-suite';
