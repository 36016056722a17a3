import { describe, expect, it } from "vitest";
import { formatBytes } from "./format-bytes";
import { checkProvisioning } from "./overcommit";
import { StorageError } from "./storage-error";

const GiB = 2 ** 30;

describe("over-commit check", () => {
  it("allows up to capacity × ratio, inclusive", () => {
    expect(() => checkProvisioning({ pool: "p", capacityBytes: 10 * GiB, ratio: 2, provisionedBytes: 15 * GiB, askedBytes: 5 * GiB })).not.toThrow();
  });

  it("refuses beyond it with the numbers in the message", () => {
    const err = (() => {
      try {
        checkProvisioning({ pool: "default", capacityBytes: 252 * GiB, ratio: 2, provisionedBytes: 3 * GiB, askedBytes: 1024 * GiB });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(StorageError);
    expect(err).toMatchObject({ code: "overcommit", message: "pool default: 3.0 GiB provisioned + 1.0 TiB asked > 2.0 × 252 GiB" });
  });

  it("formats sizes for people", () => {
    expect([0, 512, 1536, 64 * 2 ** 20, 252 * GiB, 2 ** 50].map(formatBytes)).toEqual(["0 B", "512 B", "1.5 KiB", "64.0 MiB", "252 GiB", "1.0 PiB"]);
  });
});
