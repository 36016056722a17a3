import { defineConfig } from "vitest/config";
import path from "node:path";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", "e2e/**", ".data/**", ".test-data/**"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration tests start real agents and QSDs; two cores do not like many at once.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
