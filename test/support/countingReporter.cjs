// Mocha reporter: the usual "dot" output, plus the totals written as JSON to the file
// named by MOONTALK_RESULTS (when set), so .ci/run can add suites up into one line.
const fs = require('node:fs');
const Mocha = require('mocha');

class CountingReporter extends Mocha.reporters.Dot {
  constructor(runner, options) {
    super(runner, options);
    const file = process.env.MOONTALK_RESULTS;
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      if (!file) return;
      const { passes, failures, pending } = runner.stats;
      fs.writeFileSync(file, JSON.stringify({ suite: process.env.MOONTALK_SUITE || 'mocha', passed: passes, failed: failures, skipped: pending }));
    });
  }
}

module.exports = CountingReporter;
