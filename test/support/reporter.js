'use strict';
// The spec reporter, plus the run's counts written as JSON to $MOCHA_REPORT_FILE when set, so
// .ci/run can print its summary line from the real numbers.
const { writeFileSync } = require('node:fs');
const Spec = require('mocha/lib/reporters/spec');

class SpecWithCounts extends Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once('end', () => {
      const file = process.env.MOCHA_REPORT_FILE;
      if (file) writeFileSync(file, JSON.stringify({ stats: this.stats }));
    });
  }
}

module.exports = SpecWithCounts;
