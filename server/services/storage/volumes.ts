import { z } from "zod";
import { resourceName } from "@tandem/contracts/agent";
import { sizeInput } from "@tandem/contracts/storage";
import { findVolume, listVolumes as listVolumeRows, listDrift } from "@/server/db/storage-store";
import { findEndpoint } from "@/server/db/mirror-store";
import { conflict } from "@/server/domain/errors";
import type { Identity } from "@/server/trpc/context";
import type { Deps } from "@/server/services/deps";
import { runOperation } from "@/server/services/operations/submit-operation";
import { volumeLock } from "./locks";
import { requireHost, requireVolume, volumeRef } from "./resolve";
import { toVolumeDto } from "./storage-dto";

type D = Pick<Deps, "db" | "bus">;

export const createVolumeInput = z.object({ host: resourceName, name: resourceName, size: sizeInput, pool: resourceName.optional() });

export async function createVolume(deps: D, actor: Identity, input: z.infer<typeof createVolumeInput>) {
  const host = await requireHost(deps, input.host);
  if (await findVolume(deps.db, host.id, input.name)) throw conflict(`volume ${input.host}/${input.name} already exists`);
  return runOperation(deps, {
    kind: "volume.create",
    subjectType: "volume",
    subjectId: `${host.id}/${input.name}`,
    subjectName: `${host.name}/${input.name}`,
    hostId: host.id,
    input: { hostId: host.id, name: input.name, pool: input.pool, sizeBytes: input.size },
    actor: actor.username,
    lockKey: volumeLock(host.id, input.name),
  }) as Promise<{ id: string; host: string; name: string; pool: string; sizeBytes: number }>;
}

export async function listVolumes(deps: Pick<Deps, "db">) {
  return (await listVolumeRows(deps.db)).map(toVolumeDto);
}

export const volumeRefInput = z.object({ volume: volumeRef });

export async function getVolume(deps: Pick<Deps, "db">, input: z.infer<typeof volumeRefInput>) {
  const { host, vol } = await requireVolume(deps, input.volume);
  const drift = (await listDrift(deps.db, host.id)).filter((d) => d.kind === "volume" && d.name === vol.name);
  return {
    ...toVolumeDto({ ...vol, host: { id: host.id, name: host.name }, _count: { snapshots: vol.snapshots.length } }),
    snapshots: vol.snapshots.map((s) => ({ name: s.name, sizeBytes: Number(s.sizeBytes), takenAt: s.takenAt.toISOString() })),
    drift: drift.map((d) => d.problem),
  };
}

export const resizeVolumeInput = z.object({ volume: volumeRef, size: sizeInput });

export async function resizeVolume(deps: D, actor: Identity, input: z.infer<typeof resizeVolumeInput>) {
  const { host, vol } = await requireVolume(deps, input.volume);
  const end = await findEndpoint(deps.db, vol.id);
  if (end) throw conflict(`${host.name}/${vol.name} is the ${end.role} of mirror ${end.mirror.name}: resize both sides through the mirror`);
  if (BigInt(input.size) < vol.sizeBytes) throw conflict(`volumes only grow: ${host.name}/${vol.name} is ${vol.sizeBytes} bytes, asked ${input.size}`);
  if (BigInt(input.size) === vol.sizeBytes) return { host: host.name, name: vol.name, sizeBytes: input.size };
  return runOperation(deps, {
    kind: "volume.resize",
    subjectType: "volume",
    subjectId: vol.id,
    subjectName: `${host.name}/${vol.name}`,
    hostId: host.id,
    input: { hostId: host.id, name: vol.name, sizeBytes: input.size },
    actor: actor.username,
    lockKey: volumeLock(host.id, vol.name),
  });
}

export async function deleteVolume(deps: D, actor: Identity, input: z.infer<typeof volumeRefInput>) {
  const { host, vol } = await requireVolume(deps, input.volume);
  const end = await findEndpoint(deps.db, vol.id);
  if (end) throw conflict(`${host.name}/${vol.name} is the ${end.role} of mirror ${end.mirror.name}: delete the mirror first`);
  if (vol.lu) throw conflict(`${host.name}/${vol.name} is in use by LU ${vol.lu.guid}: delete the LU first`);
  return runOperation(deps, {
    kind: "volume.delete",
    subjectType: "volume",
    subjectId: vol.id,
    subjectName: `${host.name}/${vol.name}`,
    hostId: host.id,
    input: { hostId: host.id, name: vol.name },
    actor: actor.username,
    lockKey: volumeLock(host.id, vol.name),
  });
}
