/** The test sinks' integration suites: one jest module registry (decision 0038). */
import './push-service.int-suite';
import './sink-hooks.int-suite';
import './sms-provider.int-suite';
import './smtp-sink.int-suite';
