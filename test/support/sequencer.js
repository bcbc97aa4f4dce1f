// jest runs the longest files first, so no worker idles at the end: by their last durations, or, with none
// (a fresh clone), by file size. A file of test/standard-network/ is short but runs many suites on one
// network; without durations, those files go first.
const { sep } = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

const SUITE_LISTS = `${sep}test${sep}standard-network${sep}`;

class SuiteListsFirst extends Sequencer {
  async sort(tests) {
    const sorted = await super.sort(tests);
    const first = sorted.filter((test) => test.duration == null && test.path.includes(SUITE_LISTS));
    return [...first, ...sorted.filter((test) => !first.includes(test))];
  }
}

module.exports = SuiteListsFirst;
