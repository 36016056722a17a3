import { describe, expect, it } from "vitest";
import { assertTransition, canTransition, statusFor } from "./host.machine";

describe("host status", () => {
  it.each([
    ["offline", { reachable: true, qsdRunning: true, reason: null }, "online"],
    ["online", { reachable: false, reason: "connection refused" }, "offline"],
    ["online", { reachable: true, qsdRunning: false, reason: "qsd exited" }, "degraded"],
    ["maintenance", { reachable: true, qsdRunning: true, reason: null }, "maintenance"],
    ["maintenance", { reachable: false, reason: "x" }, "maintenance"],
  ] as const)("from %s, seeing %j → %s", (from, seen, to) => {
    expect(statusFor(from, seen).status).toBe(to);
  });

  it("keeps the reason of an offline host", () => {
    expect(statusFor("online", { reachable: false, reason: "timeout" }).reason).toBe("timeout");
  });

  it("has no self transitions (a write happens only on change)", () => {
    expect(canTransition("online", "online")).toBe(false);
    expect(() => assertTransition("offline", "offline")).toThrow();
  });
});
