// jest runs the longest files first, so no worker idles at the end: by their last durations, or, with none
// (a fresh clone), by what kind of file it is, then by size. An end-to-end file starts a network of processes and
// runs longest, an integration file starts servers and one service, a unit file does neither; size alone put
// short-looking but long end-to-end files (restarts, backups) last. A file of test/standard-network/ is short but
// runs many suites on one network, and an integration spec that lists *.int-suite.ts files runs all of them: without
// durations, those files go first of all.
const { readFileSync } = require('node:fs');
const { sep } = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

const SUITE_LISTS = `${sep}test${sep}standard-network${sep}`;
const KIND_ORDER = ['e2e', 'integration', 'unit'];
const LISTS_SUITES = /import '[^']+\.int-suite'/;

function isSuiteList(test) {
  return test.path.includes(SUITE_LISTS) || (test.path.endsWith('.int-spec.ts') && LISTS_SUITES.test(readFileSync(test.path, 'utf8')));
}

function kindRank(test) {
  const rank = KIND_ORDER.indexOf(test.context.config.displayName?.name);
  return rank < 0 ? KIND_ORDER.length : rank;
}

class LongestKindsFirst extends Sequencer {
  async sort(tests) {
    const sorted = await super.sort(tests);
    const unmeasured = sorted.filter((test) => test.duration == null);
    if (unmeasured.length === 0) return sorted;
    const position = new Map(sorted.map((test, index) => [test, index]));
    const rank = (test) => (test.duration != null ? -1 : isSuiteList(test) ? 0 : 1 + kindRank(test));
    // Files with a duration keep jest's order (longest first) at the front; the rest follow by kind, then by size.
    return [...sorted].sort((a, b) => rank(a) - rank(b) || position.get(a) - position.get(b));
  }
}

module.exports = LongestKindsFirst;
