import { describe, expect, it } from "vitest";
import { silentLogger } from "../log";
import { DEAD_AFTER_MS, DeadLinkBreaker } from "./dead-link";

const target = { host: "10.0.0.2", port: 10809 };

function breaker() {
  const aborts: number[] = [];
  const b = new DeadLinkBreaker(silentLogger, async () => (aborts.push(aborts.length), 1));
  return { b, aborts };
}

describe("DeadLinkBreaker", () => {
  it("aborts once the target has been silent long enough and the job has not noticed", async () => {
    const { b, aborts } = breaker();
    await b.probed("m1", target, true, false, 0);
    expect(aborts).toHaveLength(0);
    await b.probed("m1", target, true, false, DEAD_AFTER_MS);
    expect(aborts).toHaveLength(1);
    // Not again at every check: the job is given time to notice.
    await b.probed("m1", target, true, false, DEAD_AFTER_MS + 1_000);
    expect(aborts).toHaveLength(1);
  });

  it("leaves a job alone that already knows, and a target that answers", async () => {
    const { b, aborts } = breaker();
    await b.probed("m1", target, true, true, 0);
    await b.probed("m1", target, true, true, 10_000);
    // Answering without the export (a fenced target): the link is alive, the silence starts over.
    await b.probed("m2", target, true, false, 0);
    await b.probed("m2", target, false, false, 5_000);
    await b.probed("m2", target, true, false, 5_500);
    expect(aborts).toHaveLength(0);
  });

  it("says once when it cannot abort, and keeps going", async () => {
    const warnings: string[] = [];
    const b = new DeadLinkBreaker({ ...silentLogger, warn: (m) => void warnings.push(m) }, () => Promise.reject(new Error("ss: not found")));
    await b.probed("m1", target, true, false, 0);
    await b.probed("m1", target, true, false, 2_000);
    await b.probed("m1", target, true, false, 20_000);
    expect(warnings).toHaveLength(1);
  });
});
