import { z } from "zod";
import { findOperation, listOperations as listOperationRows, listSteps, type OperationRow } from "@/server/db/operation-store";
import { listDrift } from "@/server/db/storage-store";
import { notFound } from "@/server/domain/errors";
import type { Deps } from "@/server/services/deps";

function toDto(o: OperationRow) {
  return {
    id: o.id,
    kind: o.kind,
    subject: o.subjectName,
    status: o.status,
    actor: o.actor,
    reason: o.reason,
    manual: o.manual,
    attempts: o.attempts,
    error: o.error,
    result: o.result ? (JSON.parse(o.result) as unknown) : null,
    createdAt: o.createdAt.toISOString(),
    startedAt: o.startedAt?.toISOString() ?? null,
    finishedAt: o.finishedAt?.toISOString() ?? null,
  };
}

export const listOperationsInput = z.object({ limit: z.number().int().min(1).max(500).default(50) }).default({ limit: 50 });

export async function listOperations(deps: Pick<Deps, "db">, input: z.infer<typeof listOperationsInput>) {
  return (await listOperationRows(deps.db, { limit: input.limit })).map(toDto);
}

export const getOperationInput = z.object({ id: z.string().min(1).max(64) });

export async function getOperation(deps: Pick<Deps, "db">, input: z.infer<typeof getOperationInput>) {
  const o = await findOperation(deps.db, input.id);
  if (!o) throw notFound(`operation ${input.id}`);
  const steps = await listSteps(deps.db, o.id);
  return {
    ...toDto(o),
    steps: steps.map((s) => ({
      name: s.name,
      title: s.title,
      status: s.status,
      startedAt: s.startedAt?.toISOString() ?? null,
      finishedAt: s.finishedAt?.toISOString() ?? null,
      bytesDone: Number(s.bytesDone),
      bytesTotal: s.bytesTotal === null ? null : Number(s.bytesTotal),
      error: s.error,
    })),
  };
}

export async function listAllDrift(deps: Pick<Deps, "db">) {
  const rows = await listDrift(deps.db);
  const hosts = new Map((await deps.db.host.findMany({ select: { id: true, name: true } })).map((h) => [h.id, h.name]));
  return rows.map((d) => ({ host: hosts.get(d.hostId) ?? d.hostId, kind: d.kind, name: d.name, problem: d.problem, detectedAt: d.detectedAt.toISOString() }));
}
