import { describe, expect, it } from "vitest";
import { auditHash, GENESIS, verifyChain, type AuditContent } from "./audit-chain";

function chain(n: number) {
  const out = [];
  let prev = GENESIS;
  for (let i = 1; i <= n; i++) {
    const c: AuditContent = { at: `2026-01-01T00:00:0${i}Z`, actor: "admin", action: "mirror.reverse", subject: `m${i}`, reason: null, manual: true, before: null, after: null };
    const hash = auditHash(prev, c);
    out.push({ ...c, seq: i, prevHash: prev, hash });
    prev = hash;
  }
  return out;
}

describe("audit chain", () => {
  it("verifies an intact chain", () => expect(verifyChain(chain(5))).toMatchObject({ ok: true, checked: 5 }));
  it("detects a changed record", () => {
    const c = chain(5);
    c[2]!.actor = "mallory";
    expect(verifyChain(c).problems).toEqual([{ seq: 3, problem: expect.stringMatching(/changed/) }]);
  });
  it("detects a removed record", () => {
    const c = chain(5);
    c.splice(1, 1);
    expect(verifyChain(c).problems).toEqual([{ seq: 3, problem: expect.stringMatching(/removed/) }]);
  });
});
