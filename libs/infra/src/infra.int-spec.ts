/** The infrastructure library's integration suites: one jest module registry (decision 0038). */
import './backup.int-suite';
import './bus-deployment.int-suite';
import './ferretdb-erasure.int-suite';
