/**
 * Prints the plain closing line CI reads (`N passed, N failed, N skipped`) after vitest's own
 * summary, preceded by one line per skipped test, so that a skip is seen at the end of the run
 * and not only in the scroll-back.
 */
import type { Reporter, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, errors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = errors.length;
    const skipped: string[] = [];
    for (const module of modules) {
      if (module.state() === 'failed' && [...module.children.allTests()].length === 0) failed++;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped.push(`skipped: ${module.relativeModuleId} > ${test.fullName}`);
      }
    }
    const listed = skipped.length === 0 ? '' : `\n${skipped.join('\n')}`;
    process.stdout.write(`${listed}\n${passed} passed, ${failed} failed, ${skipped.length} skipped\n`);
  }
}
