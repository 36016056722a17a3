import { describe, expect, it } from "vitest";
import { quorumDecision, targetLostSource } from "./auto-failover";

describe("automatic failover quorum", () => {
  const base = { afterSeconds: 30, now: 100_000 };

  it("fails over only when both the console and the target lost the source for the whole time", () => {
    expect(quorumDecision({ ...base, consoleLostSince: 60_000, targetLostSince: 70_000 })).toEqual({ kind: "fail_over" });
    // The later of the two clocks counts: the target lost it only 20 s ago.
    expect(quorumDecision({ ...base, consoleLostSince: 40_000, targetLostSince: 80_000 })).toEqual({ kind: "wait", inSeconds: 10 });
    expect(quorumDecision({ ...base, consoleLostSince: 95_500, targetLostSince: 60_000 })).toEqual({ kind: "wait", inSeconds: 26 });
  });

  it("never fails over on one side's view alone", () => {
    expect(quorumDecision({ ...base, consoleLostSince: null, targetLostSince: 0 }).kind).toBe("no_quorum");
    expect(quorumDecision({ ...base, consoleLostSince: 0, targetLostSince: null }).kind).toBe("no_quorum");
  });

  it("the target lost the source only when every probe it could make failed", () => {
    expect(targetLostSource({ agentReachable: false, nbdReachable: false })).toEqual({ lost: true });
    expect(targetLostSource({ agentReachable: null, nbdReachable: false })).toEqual({ lost: true });
    expect(targetLostSource({ agentReachable: false, nbdReachable: true })).toMatchObject({ lost: false, why: expect.stringContaining("NBD server") });
    expect(targetLostSource({ agentReachable: true, nbdReachable: false })).toMatchObject({ lost: false, why: expect.stringContaining("agent") });
    expect(targetLostSource({ agentReachable: null, nbdReachable: null })).toMatchObject({ lost: false });
  });
});
