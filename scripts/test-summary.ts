// Adds up the vitest and Playwright JSON reports into one closing line: "N passed, N failed".
import fs from "node:fs";
import path from "node:path";

const dir = process.argv[2]!;
let passed = 0;
let failed = 0;
let skipped = 0;

function read(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, file), "utf8"));
  } catch {
    return null;
  }
}

for (const file of ["vitest.json", "vitest-pg.json"]) {
  const vitest = read(file) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number } | null;
  if (vitest) {
    passed += vitest.numPassedTests;
    failed += vitest.numFailedTests;
    skipped += vitest.numPendingTests + vitest.numTodoTests;
  } else failed += 1; // no report means the runner itself failed
}

const pw = read("playwright.json") as { stats: { expected: number; unexpected: number; flaky: number; skipped: number } } | null;
if (pw) {
  passed += pw.stats.expected + pw.stats.flaky;
  failed += pw.stats.unexpected;
  skipped += pw.stats.skipped;
} else failed += 1;

console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
