// Prints `tests: N passed, N failed` from one or more Jest --json result files.
// A missing or unreadable file counts as one failure, so a crashed run never reads green.
import { readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
const files = process.argv.slice(2).filter((f) => !f.includes('*'));
if (files.length === 0) failed += 1;
for (const file of files) {
  try {
    const r = JSON.parse(readFileSync(file, 'utf8'));
    passed += r.numPassedTests;
    failed += r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0);
  } catch {
    failed += 1;
  }
}
console.log(`tests: ${passed} passed, ${failed} failed`);
