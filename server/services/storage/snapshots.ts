import { z } from "zod";
import { resourceName } from "@tandem/contracts/agent";
import { findVolume } from "@/server/db/storage-store";
import { conflict } from "@/server/domain/errors";
import type { Identity } from "@/server/trpc/context";
import type { Deps } from "@/server/services/deps";
import { runOperation } from "@/server/services/operations/submit-operation";
import { volumeLock } from "./locks";
import { requireSnapshot, requireVolume, volumeRef } from "./resolve";

type D = Pick<Deps, "db" | "bus">;

export const snapshotInput = z.object({ volume: volumeRef, snapshot: resourceName });
export const cloneSnapshotInput = snapshotInput.extend({ target: resourceName, pool: resourceName.optional() });

function op(kind: string, host: { id: string; name: string }, vol: { id: string; name: string }, actor: Identity, input: Record<string, unknown>) {
  return {
    kind,
    subjectType: "volume",
    subjectId: vol.id,
    subjectName: `${host.name}/${vol.name}`,
    hostId: host.id,
    input: { hostId: host.id, name: vol.name, ...input },
    actor: actor.username,
    lockKey: volumeLock(host.id, vol.name),
  };
}

export async function createSnapshot(deps: D, actor: Identity, input: z.infer<typeof snapshotInput>) {
  const { host, vol } = await requireVolume(deps, input.volume);
  if (vol.snapshots.some((s) => s.name === input.snapshot)) throw conflict(`snapshot ${input.snapshot} of ${host.name}/${vol.name} already exists`);
  return runOperation(deps, op("snapshot.create", host, vol, actor, { snapshot: input.snapshot }));
}

export async function revertSnapshot(deps: D, actor: Identity, input: z.infer<typeof snapshotInput>) {
  const { host, vol } = await requireVolume(deps, input.volume);
  requireSnapshot(vol, host.name, input.snapshot);
  return runOperation(deps, op("snapshot.revert", host, vol, actor, { snapshot: input.snapshot }));
}

export async function cloneSnapshot(deps: D, actor: Identity, input: z.infer<typeof cloneSnapshotInput>) {
  const { host, vol } = await requireVolume(deps, input.volume);
  requireSnapshot(vol, host.name, input.snapshot);
  if (await findVolume(deps.db, host.id, input.target)) throw conflict(`volume ${host.name}/${input.target} already exists`);
  // The clone is a new volume: lock its name too, by running under the new volume's key.
  return runOperation(deps, { ...op("snapshot.clone", host, vol, actor, { snapshot: input.snapshot, target: input.target, pool: input.pool }), lockKey: volumeLock(host.id, input.target) });
}

export async function deleteSnapshot(deps: D, actor: Identity, input: z.infer<typeof snapshotInput>) {
  const { host, vol } = await requireVolume(deps, input.volume);
  requireSnapshot(vol, host.name, input.snapshot);
  return runOperation(deps, op("snapshot.delete", host, vol, actor, { snapshot: input.snapshot }));
}
