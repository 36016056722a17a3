// Volumes, snapshots, LUs and drift rows.
import type { Db } from "./client";

export function listVolumes(db: Db, hostId?: string) {
  return db.volume.findMany({
    where: { hostId },
    orderBy: [{ host: { name: "asc" } }, { name: "asc" }],
    include: { host: { select: { id: true, name: true } }, lu: true, _count: { select: { snapshots: true } } },
  });
}

export function findVolume(db: Db, hostId: string, name: string) {
  return db.volume.findUnique({ where: { hostId_name: { hostId, name } }, include: { host: true, lu: true, snapshots: { orderBy: { takenAt: "desc" } } } });
}

export async function upsertVolume(db: Db, v: { hostId: string; name: string; pool: string; sizeBytes: bigint; allocatedBytes: bigint }) {
  return db.volume.upsert({
    where: { hostId_name: { hostId: v.hostId, name: v.name } },
    create: v,
    update: { pool: v.pool, sizeBytes: v.sizeBytes, allocatedBytes: v.allocatedBytes, missingSince: null },
  });
}

export async function updateVolumeFacts(db: Db, id: string, facts: { sizeBytes?: bigint; allocatedBytes?: bigint; missingSince?: Date | null }) {
  return db.volume.update({ where: { id }, data: facts });
}

export async function deleteVolumeRow(db: Db, id: string) {
  await db.$transaction([db.lu.deleteMany({ where: { volumeId: id } }), db.volume.deleteMany({ where: { id } })]);
}

export async function replaceSnapshots(db: Db, volumeId: string, snaps: { name: string; sizeBytes: bigint; takenAt: Date }[]): Promise<boolean> {
  const existing = await db.snapshot.findMany({ where: { volumeId } });
  const want = new Map(snaps.map((s) => [s.name, s]));
  const gone = existing.filter((e) => !want.has(e.name)).map((e) => e.id);
  const added = snaps.filter((s) => !existing.some((e) => e.name === s.name));
  if (!gone.length && !added.length) return false;
  await db.$transaction([
    db.snapshot.deleteMany({ where: { id: { in: gone } } }),
    ...added.map((s) => db.snapshot.create({ data: { volumeId, ...s } })),
  ]);
  return true;
}

export function listLus(db: Db) {
  return db.lu.findMany({ orderBy: [{ guid: "asc" }], include: { host: { select: { id: true, name: true, aluaNodeId: true } }, volume: { select: { name: true, sizeBytes: true } } } });
}

export function findLusByGuid(db: Db, guid: string) {
  return db.lu.findMany({ where: { guid }, include: { host: true, volume: true } });
}

export function findLu(db: Db, hostId: string, guid: string) {
  return db.lu.findUnique({ where: { hostId_guid: { hostId, guid } }, include: { host: true, volume: true } });
}

export async function upsertLu(
  db: Db,
  l: { guid: string; hostId: string; volumeId: string; alias: string | null; exportName: string; uri: string | null; accessState: string; stateChangedAt: Date },
) {
  return db.lu.upsert({
    where: { hostId_guid: { hostId: l.hostId, guid: l.guid } },
    create: l,
    update: { alias: l.alias, exportName: l.exportName, uri: l.uri, accessState: l.accessState, stateChangedAt: l.stateChangedAt, missingSince: null },
  });
}

export async function updateLuFacts(db: Db, id: string, facts: { accessState?: string; uri?: string | null; stateChangedAt?: Date; missingSince?: Date | null; alias?: string | null }) {
  return db.lu.update({ where: { id }, data: facts });
}

export async function deleteLuRow(db: Db, id: string) {
  await db.lu.deleteMany({ where: { id } });
}

export function listDrift(db: Db, hostId?: string) {
  return db.drift.findMany({ where: { hostId }, orderBy: { detectedAt: "desc" } });
}

/** Makes the drift rows of a host exactly `found`; returns whether anything changed. */
export async function setDrift(db: Db, hostId: string, found: { kind: string; name: string; problem: string }[]): Promise<boolean> {
  const existing = await db.drift.findMany({ where: { hostId } });
  const key = (d: { kind: string; name: string }) => `${d.kind}/${d.name}`;
  const want = new Map(found.map((f) => [key(f), f]));
  const stale = existing.filter((e) => want.get(key(e))?.problem !== e.problem).map((e) => e.id);
  const fresh = found.filter((f) => !existing.some((e) => key(e) === key(f) && e.problem === f.problem));
  if (!stale.length && !fresh.length) return false;
  await db.$transaction([
    db.drift.deleteMany({ where: { id: { in: stale } } }),
    ...fresh.map((f) => db.drift.create({ data: { hostId, ...f } })),
  ]);
  return true;
}

export function findVolumeWithHost(db: Db, id: string) {
  return db.volume.findUnique({ where: { id }, include: { host: true } });
}
