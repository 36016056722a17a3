// The audit chain: each record's hash covers its content and the previous record's hash, so a
// changed record breaks its own hash and a removed one breaks the link of the next.
import crypto from "node:crypto";

export const GENESIS = "0".repeat(64);

export type AuditContent = {
  at: string;
  actor: string;
  action: string;
  subject: string;
  reason: string | null;
  manual: boolean;
  before: string | null;
  after: string | null;
};

export function auditHash(prevHash: string, c: AuditContent): string {
  // Fixed key order: the hash must not depend on how an object happened to be built.
  const canonical = JSON.stringify([prevHash, c.at, c.actor, c.action, c.subject, c.reason, c.manual, c.before, c.after]);
  return crypto.createHash("sha256").update(canonical).digest("hex");
}

export type ChainProblem = { seq: number; problem: string };

export function verifyChain(records: (AuditContent & { seq: number; prevHash: string; hash: string })[]): { ok: boolean; checked: number; problems: ChainProblem[] } {
  const problems: ChainProblem[] = [];
  let prev = GENESIS;
  for (const r of records) {
    if (r.prevHash !== prev) problems.push({ seq: r.seq, problem: "does not follow the record before it (a record was removed or reordered)" });
    if (auditHash(r.prevHash, r) !== r.hash) problems.push({ seq: r.seq, problem: "content does not match its hash (the record was changed)" });
    prev = r.hash;
  }
  return { ok: problems.length === 0, checked: records.length, problems };
}
