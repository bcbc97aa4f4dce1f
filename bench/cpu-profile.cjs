// Loaded with --require (BENCH_NODE_OPTIONS="--require $PWD/bench/cpu-profile.cjs"): starts V8's CPU profiler in the process and writes
// <CPU_PROFILE_DIR or .infra/profiles>/<script>-<pid>.cpuprofile when it exits (--cpu-prof is not allowed in NODE_OPTIONS).
const inspector = require('node:inspector');
const fs = require('node:fs');
const path = require('node:path');
const dir = process.env.CPU_PROFILE_DIR || path.join(process.cwd(), '.infra', 'profiles');
fs.mkdirSync(dir, { recursive: true });
const session = new inspector.Session();
session.connect();
session.post('Profiler.enable', () => session.post('Profiler.setSamplingInterval', { interval: 1000 }, () => session.post('Profiler.start')));
let written = false;
function write() {
  if (written) return; written = true;
  session.post('Profiler.stop', (err, { profile } = {}) => {
    if (!err) fs.writeFileSync(path.join(dir, `${path.basename(process.argv[1] || 'node')}-${process.pid}.cpuprofile`), JSON.stringify(profile));
  });
}
process.on('exit', write);
for (const sig of ['SIGTERM', 'SIGINT']) process.prependListener(sig, write);
