// Mirrors. Creation inserts the mirror and both endpoint rows in one transaction: the endpoint
// key (the volume id) makes the single-mirror rule hold even when two creates race.
import type { Db } from "./client";
import { isUniqueViolation } from "./client";
import type { MirrorState } from "@/server/domain/mirror/mirror.machine";

const withVolumes = {
  endpoints: true,
} as const;

export type MirrorRow = Awaited<ReturnType<Db["mirror"]["findUniqueOrThrow"]>>;

export async function createMirrorRow(
  db: Db,
  m: { name: string; description: string | null; pairId: string; sourceVolumeId: string; targetVolumeId: string; mode: string; speedLimitBytesPerSec: bigint; rpoTargetSeconds: number | null; autoFailoverAfterSeconds: number | null },
): Promise<{ ok: true; mirror: MirrorRow } | { ok: false; reason: "name" | "volume" }> {
  try {
    const mirror = await db.$transaction(async (tx) => {
      const row = await tx.mirror.create({ data: m });
      await tx.mirrorEndpoint.create({ data: { volumeId: m.sourceVolumeId, mirrorId: row.id, role: "source" } });
      await tx.mirrorEndpoint.create({ data: { volumeId: m.targetVolumeId, mirrorId: row.id, role: "target" } });
      return row;
    });
    return { ok: true, mirror };
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    const target = String((e as { meta?: { target?: unknown; modelName?: string } }).meta?.target ?? (e as Error).message);
    return { ok: false, reason: /name/.test(target) && !/volume/i.test(target) ? "name" : "volume" };
  }
}

export function findMirrorByName(db: Db, name: string) {
  return db.mirror.findUnique({ where: { name }, include: withVolumes });
}

export function findMirror(db: Db, id: string) {
  return db.mirror.findUnique({ where: { id }, include: withVolumes });
}

export function listMirrors(db: Db) {
  return db.mirror.findMany({ orderBy: { name: "asc" }, include: withVolumes });
}

export function findEndpoint(db: Db, volumeId: string) {
  return db.mirrorEndpoint.findUnique({ where: { volumeId }, include: { mirror: { select: { name: true } } } });
}

/** Compare-and-set of the state; returns whether this call changed it. */
export async function casMirrorState(db: Db, id: string, from: MirrorState, to: MirrorState, reason: string | null, at: Date): Promise<boolean> {
  const r = await db.mirror.updateMany({ where: { id, state: from }, data: { state: to, stateReason: reason, stateChangedAt: at, ...(to === "in_sync" ? { lastInSyncAt: at } : {}) } });
  return r.count === 1;
}

export async function updateMirror(db: Db, id: string, data: Partial<Pick<MirrorRow, "description" | "mode" | "speedLimitBytesPerSec" | "rpoTargetSeconds" | "autoFailoverAfterSeconds" | "phase" | "progressDone" | "progressTotal" | "lagBytes" | "lagSeconds" | "rateBytesPerSec" | "converging" | "lastInSyncAt" | "epoch" | "stateReason">>) {
  return db.mirror.update({ where: { id }, data });
}

export async function deleteMirrorRow(db: Db, id: string) {
  await db.mirror.deleteMany({ where: { id } });
}

export async function addSample(db: Db, s: { mirrorId: string; at: Date; rateBytesPerSec: number; lagBytes: bigint }) {
  await db.mirrorSample.create({ data: s });
}

export function listSamples(db: Db, mirrorId: string, since: Date) {
  return db.mirrorSample.findMany({ where: { mirrorId, at: { gte: since } }, orderBy: { at: "asc" } });
}

export async function pruneSamples(db: Db, before: Date) {
  await db.mirrorSample.deleteMany({ where: { at: { lt: before } } });
}
