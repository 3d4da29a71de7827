// Prints the plain closing line CI reads: "N passed, N failed" (jest's own summary is not recognised).
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const passed = results.numPassedTests;
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    process.stdout.write(`\ntests: ${passed} passed, ${failed} failed\n`);
  }
}
module.exports = SummaryReporter;
