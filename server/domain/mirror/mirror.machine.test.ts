import { describe, expect, it } from "vitest";
import { canTransition, mirrorHealth, type HealthInput } from "./mirror.machine";

const base: HealthInput = { state: "in_sync", mode: "sync", lagBytes: 0, lagSeconds: 0, rpoTargetSeconds: null, sourceOnline: true, targetOnline: true, epochsAgree: true, converging: true };

describe("mirror transitions", () => {
  it.each([
    ["uninitialized", "syncing", true],
    ["syncing", "in_sync", true],
    ["in_sync", "broken", true],
    ["broken", "in_sync", true],
    ["in_sync", "uninitialized", false],
    ["failed_over", "in_sync", false],
    ["failed_over", "resyncing", true],
    ["reversing", "in_sync", true],
  ] as const)("%s → %s: %s", (a, b, ok) => expect(canTransition(a, b)).toBe(ok));
});

describe("mirror health", () => {
  it.each<[Partial<HealthInput>, string, RegExp]>([
    [{}, "ok", /in sync/],
    [{ state: "broken" }, "critical", /link is down/],
    [{ targetOnline: false }, "critical", /link is down/],
    [{ sourceOnline: false }, "critical", /source host is offline/],
    [{ epochsAgree: false }, "critical", /epoch/],
    [{ state: "syncing" }, "warning", /copy in progress/],
    [{ state: "lagging", mode: "async", lagSeconds: 30, rpoTargetSeconds: 10 }, "critical", /over the RPO target/],
    [{ state: "lagging", mode: "async", lagSeconds: 5, rpoTargetSeconds: 10, converging: false }, "warning", /not converging/],
    [{ state: "paused" }, "warning", /paused/],
  ])("%j → %s", (patch, level, reason) => {
    const h = mirrorHealth({ ...base, ...patch });
    expect(h.level).toBe(level);
    expect(h.reason).toMatch(reason);
  });
});
