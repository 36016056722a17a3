// Append-only audit records. Appending reads the chain's end and inserts after it; the unique
// previous-hash makes a racing second writer fail, and it simply tries again.
import type { Db } from "./client";
import { isUniqueViolation } from "./client";
import { auditHash, GENESIS, type AuditContent } from "@/server/domain/audit/audit-chain";

export async function appendAudit(db: Db, c: Omit<AuditContent, "at"> & { at?: Date }) {
  for (let attempt = 0; attempt < 10; attempt++) {
    const last = await db.auditRecord.findFirst({ orderBy: { seq: "desc" }, select: { hash: true } });
    const prevHash = last?.hash ?? GENESIS;
    const at = (c.at ?? new Date()).toISOString();
    const content: AuditContent = { ...c, at };
    try {
      return await db.auditRecord.create({ data: { ...content, at: new Date(at), prevHash, hash: auditHash(prevHash, content) } });
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
    }
  }
  throw new Error("audit log is too busy to append; try again");
}

export async function readAudit(db: Db, opts: { limit?: number; subject?: string } = {}) {
  return db.auditRecord.findMany({ where: { subject: opts.subject }, orderBy: { seq: "asc" }, take: opts.limit });
}

export async function readAuditTail(db: Db, limit: number, subject?: string) {
  return db.auditRecord.findMany({ where: { subject }, orderBy: { seq: "desc" }, take: limit });
}
