import { describe, expect, it } from "vitest";
import { assertTransition, canTransition, isFinished } from "./operation.machine";

describe("operation status", () => {
  it.each([
    ["pending", "running", true],
    ["pending", "succeeded", false],
    ["running", "succeeded", true],
    ["running", "pending", true],
    ["succeeded", "running", false],
    ["failed", "pending", false],
    ["cancelled", "running", false],
  ] as const)("%s → %s allowed: %s", (from, to, ok) => {
    expect(canTransition(from, to)).toBe(ok);
  });
  it("finished statuses are final", () => {
    expect(isFinished("succeeded") && isFinished("failed") && isFinished("cancelled")).toBe(true);
    expect(() => assertTransition("succeeded", "running")).toThrow();
  });
});
