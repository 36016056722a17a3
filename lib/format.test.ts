import { describe, expect, it } from "vitest";
import { formatAgo, formatBytes, formatDuration, formatRate } from "./format";

describe("formatBytes", () => {
  it.each([[0, "0 B"], [1023, "1023 B"], [1536, "1.5 KiB"], [10 * 2 ** 30, "10.0 GiB"], ["274877906944", "256 GiB"]])("%s → %s", (v, s) => {
    expect(formatBytes(v)).toBe(s);
  });
});

describe("formatAgo", () => {
  const now = Date.parse("2026-01-01T00:10:00Z");
  it.each([[null, "never"], ["2026-01-01T00:09:58Z", "just now"], ["2026-01-01T00:09:30Z", "30 s ago"], ["2026-01-01T00:05:00Z", "5 min ago"]])("%s → %s", (iso, s) => {
    expect(formatAgo(iso, now)).toBe(s);
  });
});

describe("formatRate", () => {
  it.each([[0, "–"], [null, "–"], [8 * 2 ** 20, "8.0 MiB/s"], [512, "512 B/s"]])("%s → %s", (v, s) => {
    expect(formatRate(v)).toBe(s);
  });
});

describe("formatDuration", () => {
  it.each([[null, "–"], [0, "0 s"], [42.4, "42 s"], [185, "3 min 5 s"], [120, "2 min"], [7800, "2 h 10 min"], [3 * 86400 + 4 * 3600, "3 d 4 h"]])("%s → %s", (v, s) => {
    expect(formatDuration(v)).toBe(s);
  });
});
