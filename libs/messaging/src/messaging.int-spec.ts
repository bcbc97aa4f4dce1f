/** The messaging library's integration suites: one jest module registry (decision 0038). */
import './consumer-runner.int-suite';
import './durable-consumer.int-suite';
import './jetstream-setup.int-suite';
import './nats-handshake.int-suite';
import './nats-tls.int-suite';
