import { z } from "zod";
import { readAudit, readAuditTail } from "@/server/db/audit-store";
import { verifyChain } from "@/server/domain/audit/audit-chain";
import type { Deps } from "@/server/services/deps";

export const listAuditInput = z.object({ limit: z.number().int().min(1).max(1000).default(100), subject: z.string().max(200).optional() }).default({ limit: 100 });

export async function listAudit(deps: Pick<Deps, "db">, input: z.infer<typeof listAuditInput>) {
  return (await readAuditTail(deps.db, input.limit, input.subject)).map((r) => ({
    seq: r.seq,
    at: r.at.toISOString(),
    actor: r.actor,
    action: r.action,
    subject: r.subject,
    reason: r.reason,
    manual: r.manual,
    after: r.after ? (JSON.parse(r.after) as unknown) : null,
    hash: r.hash,
  }));
}

export async function verifyAudit(deps: Pick<Deps, "db">) {
  const records = await readAudit(deps.db);
  return verifyChain(records.map((r) => ({ ...r, at: r.at.toISOString() })));
}
