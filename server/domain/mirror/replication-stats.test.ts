import { describe, expect, it } from "vitest";
import { converging, ewma, lagSeconds, stateForPhase } from "./replication-stats";

describe("replication stats", () => {
  it("smooths rates and turns lag into seconds", () => {
    expect(ewma(null, 100)).toBe(100);
    expect(ewma(100, 200, 0.5)).toBe(150);
    expect(lagSeconds(0, 0)).toBe(0);
    expect(lagSeconds(100 * 2 ** 20, 50 * 2 ** 20)).toBe(2);
    expect(lagSeconds(10, 0)).toBeNull();
  });
  it("flags lag that keeps growing", () => {
    const M = 2 ** 20;
    expect(converging([1, 2, 3, 4, 5, 6, 7, 8].map((x) => x * 10 * M))).toBe(false);
    expect(converging([80, 70, 60, 50, 40, 30, 20, 10].map((x) => x * M))).toBe(true);
    expect(converging([1, 2, 3, 4, 5, 6, 7, 8].map((x) => x * 1024))).toBe(true); // tiny
  });
  it.each([
    ["uninitialized", "copying", 5, 0, true, "syncing"],
    ["syncing", "ready", 0, 0, true, "in_sync"],
    ["in_sync", "ready", 4096, 1, true, null],
    ["in_sync", "ready", 4096, 2, true, "lagging"],
    ["lagging", "ready", 0, 0, true, "in_sync"],
    ["in_sync", "link_down", 0, 0, true, "broken"],
    ["in_sync", "ready", 0, 0, false, "broken"],
    ["broken", "ready", 4096, 0, true, "syncing"],
    ["in_sync", "paused", 0, 0, false, "paused"],
  ] as const)("%s + %s (lag %d, %d samples, target online %s) → %s", (cur, phase, lag, n, online, want) => {
    expect(stateForPhase(cur, phase, lag, n, online)).toBe(want);
  });
});
