/**
 * Jest's order of test files: failed first, then the longest first, so neither worker idles at
 * the end. Jest knows a file's time only from an earlier run's cache; on a fresh clone (CI) it
 * falls back to file size, which puts the small but heavy fault-campaign shards and the judge's
 * property test last. These estimates (CPU seconds on a 2-core machine) stand in until a run has
 * measured them.
 */
const Sequencer = require('@jest/test-sequencer').default;

const ESTIMATED_SECONDS = [
  [/test\/core\/judge-property\.test\.ts$/, 80],
  [/test\/packaging\/package\.test\.ts$/, 55],
  [/test\/fault\/campaign-\d\.test\.ts$/, 35],
  [/test\/app\.test\.ts$/, 24],
  [/test\/iam\/engine-roles\.test\.ts$/, 18],
  [/test\/e2e\/.*\.test\.ts$/, 8],
];

class HeavyFirstSequencer extends Sequencer {
  sort(tests) {
    const weight = (test) => {
      const measured = this.time(test);
      if (measured != null) return measured;
      const estimate = ESTIMATED_SECONDS.find(([pattern]) => pattern.test(test.path.replace(/\\/g, '/')));
      return estimate ? estimate[1] * 1000 : (test.context.hasteFS.getSize(test.path) ?? 0) / 10;
    };
    const keyed = tests.map((test) => ({ test, failed: this.hasFailed(test), weight: weight(test) }));
    keyed.sort((a, b) => (a.failed !== b.failed ? (a.failed ? -1 : 1) : b.weight - a.weight));
    return keyed.map((k) => k.test);
  }
}

module.exports = HeavyFirstSequencer;
