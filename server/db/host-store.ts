// Hosts and host pairs. Status changes are compare-and-set so that two monitors (two console
// processes) never write the same change twice.
import type { Db } from "./client";
import type { HostStatus } from "@/server/domain/host/host.machine";

export type HostRow = Awaited<ReturnType<Db["host"]["findFirstOrThrow"]>>;

export function listHosts(db: Db) {
  return db.host.findMany({ orderBy: { name: "asc" }, include: { pair: true } });
}

export function findHost(db: Db, id: string) {
  return db.host.findUnique({ where: { id }, include: { pair: true } });
}

export function findHostByName(db: Db, name: string) {
  return db.host.findUnique({ where: { name }, include: { pair: true } });
}

export async function upsertHost(db: Db, h: { name: string; agentUrl: string; agentToken: string }) {
  return db.host.upsert({
    where: { name: h.name },
    create: { name: h.name, agentUrl: h.agentUrl, agentToken: h.agentToken },
    update: { agentUrl: h.agentUrl, agentToken: h.agentToken },
  });
}

export async function ensurePair(db: Db, name: string, members: { hostId: string; nodeId: 0 | 1 }[]) {
  const pair = await db.hostPair.upsert({ where: { name }, create: { name }, update: {} });
  for (const m of members) {
    await db.host.update({ where: { id: m.hostId }, data: { pairId: pair.id, aluaNodeId: m.nodeId } });
  }
  return pair;
}

/** Writes the new status only if the row still has `from`; returns whether this call changed it. */
export async function casHostStatus(
  db: Db,
  id: string,
  from: HostStatus,
  to: HostStatus,
  reason: string | null,
  at: Date,
): Promise<boolean> {
  const r = await db.host.updateMany({
    where: { id, status: from },
    data: { status: to, statusReason: reason, statusChangedAt: at },
  });
  return r.count === 1;
}

export async function recordHostFacts(
  db: Db,
  id: string,
  facts: { lastSeenAt: Date; qsdVersion: string | null; agentVersion: string; nbdAddress: string; capacityBytes: bigint; freeBytes: bigint },
) {
  await db.host.update({ where: { id }, data: facts });
}
