import { describe, expect, it } from "vitest";
import { eventCoalescer } from "./qmp-event-coalescer";

const ev = (event: string, device = "m1") => ({ event, data: { device }, timestamp: { seconds: 0, microseconds: 0 } });

describe("QMP event coalescer", () => {
  it("keeps one BLOCK_JOB_ERROR per job per window and every other event", () => {
    let t = 0;
    const keep = eventCoalescer(5_000, () => t);
    expect([keep(ev("BLOCK_JOB_ERROR")), keep(ev("BLOCK_JOB_ERROR")), keep(ev("BLOCK_JOB_ERROR", "m2"))]).toEqual([true, false, true]);
    expect(keep(ev("JOB_STATUS_CHANGE"))).toBe(true);
    expect(keep(ev("JOB_STATUS_CHANGE"))).toBe(true);
    t = 5_000;
    expect(keep(ev("BLOCK_JOB_ERROR"))).toBe(true);
  });
});
