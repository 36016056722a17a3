import { describe, expect, it } from "vitest";
import { differingRanges } from "./compare-chunks";

describe("differingRanges", () => {
  it("is empty for equal sides", () => expect(differingRanges(["a", "b"], ["a", "b"], 4, 8)).toEqual([]));
  it("merges neighbours and clips the last chunk", () => {
    expect(differingRanges(["a", "b", "c", "d", "e"], ["a", "x", "y", "d", "z"], 4, 18)).toEqual([
      { offset: 4, length: 8 },
      { offset: 16, length: 2 },
    ]);
  });
});
