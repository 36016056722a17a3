import { describe, expect, it } from "vitest";
import { peerOf, sourceCandidates, targetCandidates, type EligHost, type EligVolume } from "./mirror-eligibility";

const MiB = 2 ** 20;
const pair = { id: "p1", name: "pair1" };
const hosts: EligHost[] = [
  { name: "h1", status: "online", pair },
  { name: "h2", status: "online", pair },
  { name: "h3", status: "online", pair: null },
];
const vol = (host: string, name: string, size = 64 * MiB, lu: EligVolume["lu"] = null): EligVolume => ({ host, name, ref: `${host}/${name}`, sizeBytes: size, missing: false, lu });
const volumes = [
  vol("h1", "a"),
  vol("h1", "b"),
  vol("h2", "b-copy"),
  vol("h3", "lonely"),
  vol("h2", "t-ok"),
  vol("h2", "t-big", 128 * MiB),
  vol("h2", "t-active", 64 * MiB, { guid: "600144f0aaaa", accessState: "active" }),
];
const mirrors = [{ name: "m1", source: { ref: "h1/b" }, target: { ref: "h2/b-copy" } }];

describe("mirror eligibility", () => {
  it("finds the peer host of a pair", () => {
    expect(peerOf("h1", hosts)?.name).toBe("h2");
    expect(peerOf("h3", hosts)).toBeNull();
  });

  it("sources: only volumes in no mirror, on a paired host", () => {
    const c = sourceCandidates(volumes, mirrors, hosts);
    expect(c.eligible.map((v) => v.ref)).toEqual(["h1/a", "h2/t-active", "h2/t-big", "h2/t-ok"]);
    const why = Object.fromEntries(c.ineligible.map((i) => [i.volume.ref, i.reasons.join("; ")]));
    expect(why["h1/b"]).toContain("already the source of mirror m1");
    expect(why["h2/b-copy"]).toContain("already the target of mirror m1");
    expect(why["h3/lonely"]).toContain("not in a host pair");
  });

  it("targets: equal size, no Active LU, in no mirror, on the other host", () => {
    const c = targetCandidates(volumes[0]!, volumes, mirrors, hosts);
    expect(c.peer?.name).toBe("h2");
    expect(c.eligible.map((v) => v.ref)).toEqual(["h2/t-ok"]);
    const why = Object.fromEntries(c.ineligible.map((i) => [i.volume.ref, i.reasons.join("; ")]));
    expect(why["h2/t-big"]).toContain("size differs");
    expect(why["h2/t-active"]).toContain("Active LU");
    expect(why["h2/b-copy"]).toContain("mirror m1");
  });
});
