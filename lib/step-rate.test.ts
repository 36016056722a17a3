import { describe, expect, it } from "vitest";
import { etaFrom, pushSample, sampleRate, type ByteSample } from "./step-rate";

const MiB = 2 ** 20;

describe("pushSample", () => {
  it("keeps only new values, in time order, within the window (and the last one before it)", () => {
    let s: ByteSample[] = [];
    s = pushSample(s, { at: 0, bytes: 0 });
    s = pushSample(s, { at: 100, bytes: 0 });
    expect(s).toHaveLength(1);
    s = pushSample(s, { at: 1000, bytes: MiB });
    s = pushSample(s, { at: 900, bytes: 2 * MiB });
    expect(s.map((x) => x.at)).toEqual([0, 1000]);
    s = pushSample(s, { at: 30_000, bytes: 3 * MiB }, 10_000);
    expect(s.map((x) => x.at)).toEqual([1000, 30_000]);
  });
});

describe("sampleRate", () => {
  it("is bytes moved over the time seen, not the counter's absolute value", () => {
    const s = [
      { at: 0, bytes: 96 * MiB },
      { at: 2000, bytes: 104 * MiB },
    ];
    expect(sampleRate(s)).toBe(4 * MiB);
  });
  it("is null with one sample, a too short span, or a counter that went back", () => {
    expect(sampleRate([{ at: 0, bytes: 1 }])).toBeNull();
    expect(sampleRate([{ at: 0, bytes: 1 }, { at: 100, bytes: 2 }])).toBeNull();
    expect(sampleRate([{ at: 0, bytes: 5 }, { at: 1000, bytes: 2 }])).toBeNull();
  });
});

describe("etaFrom", () => {
  it.each([
    [0, null, 10, null],
    [10, 10, null, 0],
    [0, 100, null, null],
    [20, 100, 8, 10],
  ])("done %s of %s at %s/s → %s", (done, total, rate, eta) => {
    expect(etaFrom(done, total, rate)).toBe(eta);
  });
});
