// Volume create / resize / delete, and snapshot create / revert / clone / delete.
import { z } from "zod";
import { resourceName } from "@tandem/contracts/agent";
import { deleteVolumeRow, findVolume, upsertVolume } from "@/server/db/storage-store";
import { TandemError } from "@/server/domain/errors";
import { syncHostStorage } from "@/server/services/storage/sync-host-storage";
import type { OperationDefinition } from "../types";
import { hostOf, ignoreNotFound } from "./host-of";

const volumeInput = z.object({ hostId: z.string(), name: resourceName });

export const createVolumeOp: OperationDefinition<z.infer<typeof volumeInput> & { pool?: string; sizeBytes: number }> = {
  kind: "volume.create",
  parseInput: (raw) => volumeInput.extend({ pool: resourceName.optional(), sizeBytes: z.number().int().positive() }).parse(raw),
  async run(deps, op, input) {
    const host = await hostOf(deps, input.hostId);
    const agent = deps.storageFor(host);
    // Idempotent: a volume created by an earlier attempt of this operation is taken as done.
    let v = await ignoreNotFound(() => agent.volume(input.name));
    if (v && v.sizeBytes !== input.sizeBytes) throw new TandemError("CONFLICT", `${host.name}/${input.name} already exists with another size`, { retryable: false });
    v ??= await agent.createVolume({ name: input.name, pool: input.pool, size: input.sizeBytes });
    const row = await upsertVolume(deps.db, { hostId: host.id, name: v.name, pool: v.pool, sizeBytes: BigInt(v.sizeBytes), allocatedBytes: BigInt(v.allocatedBytes) });
    deps.bus.publish({ type: "storage.changed", hostId: host.id, what: ["volumes"] });
    return { id: row.id, host: host.name, name: v.name, pool: v.pool, sizeBytes: v.sizeBytes };
  },
};

export const resizeVolumeOp: OperationDefinition<z.infer<typeof volumeInput> & { sizeBytes: number }> = {
  kind: "volume.resize",
  parseInput: (raw) => volumeInput.extend({ sizeBytes: z.number().int().positive() }).parse(raw),
  async run(deps, op, input) {
    const host = await hostOf(deps, input.hostId);
    const agent = deps.storageFor(host);
    const current = await agent.volume(input.name);
    const v = current.sizeBytes >= input.sizeBytes ? current : await agent.resizeVolume(input.name, input.sizeBytes);
    await upsertVolume(deps.db, { hostId: host.id, name: v.name, pool: v.pool, sizeBytes: BigInt(v.sizeBytes), allocatedBytes: BigInt(v.allocatedBytes) });
    deps.bus.publish({ type: "storage.changed", hostId: host.id, what: ["volumes"] });
    return { host: host.name, name: v.name, sizeBytes: v.sizeBytes };
  },
};

export const deleteVolumeOp: OperationDefinition<z.infer<typeof volumeInput>> = {
  kind: "volume.delete",
  parseInput: (raw) => volumeInput.parse(raw),
  async run(deps, op, input) {
    const host = await hostOf(deps, input.hostId);
    await ignoreNotFound(() => deps.storageFor(host).deleteVolume(input.name));
    const row = await findVolume(deps.db, host.id, input.name);
    if (row) await deleteVolumeRow(deps.db, row.id);
    deps.bus.publish({ type: "storage.changed", hostId: host.id, what: ["volumes", "snapshots", "lus"] });
    return { host: host.name, name: input.name, deleted: true };
  },
};

const snapInput = volumeInput.extend({ snapshot: resourceName });

export const createSnapshotOp: OperationDefinition<z.infer<typeof snapInput>> = {
  kind: "snapshot.create",
  parseInput: (raw) => snapInput.parse(raw),
  async run(deps, op, input) {
    const host = await hostOf(deps, input.hostId);
    const agent = deps.storageFor(host);
    const existing = (await agent.snapshots(input.name)).find((s) => s.name === input.snapshot);
    const s = existing ?? (await agent.createSnapshot(input.name, input.snapshot));
    await syncHostStorage(deps, host, { ownLock: op.lockKey });
    return { host: host.name, volume: input.name, snapshot: s.name, createdAt: s.createdAt };
  },
};

export const revertSnapshotOp: OperationDefinition<z.infer<typeof snapInput>> = {
  kind: "snapshot.revert",
  parseInput: (raw) => snapInput.parse(raw),
  async run(deps, op, input) {
    const host = await hostOf(deps, input.hostId);
    // Reverting again to the same snapshot gives the same data, so a retry is harmless.
    await deps.storageFor(host).revertSnapshot(input.name, input.snapshot);
    await syncHostStorage(deps, host, { ownLock: op.lockKey });
    return { host: host.name, volume: input.name, snapshot: input.snapshot, reverted: true };
  },
};

export const cloneSnapshotOp: OperationDefinition<z.infer<typeof snapInput> & { target: string; pool?: string }> = {
  kind: "snapshot.clone",
  parseInput: (raw) => snapInput.extend({ target: resourceName, pool: resourceName.optional() }).parse(raw),
  async run(deps, op, input) {
    const host = await hostOf(deps, input.hostId);
    const agent = deps.storageFor(host);
    const v = (await ignoreNotFound(() => agent.volume(input.target))) ?? (await agent.cloneSnapshot(input.name, input.snapshot, { name: input.target, pool: input.pool }));
    await upsertVolume(deps.db, { hostId: host.id, name: v.name, pool: v.pool, sizeBytes: BigInt(v.sizeBytes), allocatedBytes: BigInt(v.allocatedBytes) });
    deps.bus.publish({ type: "storage.changed", hostId: host.id, what: ["volumes"] });
    return { host: host.name, name: v.name, sizeBytes: v.sizeBytes, from: `${input.name}@${input.snapshot}` };
  },
};

export const deleteSnapshotOp: OperationDefinition<z.infer<typeof snapInput>> = {
  kind: "snapshot.delete",
  parseInput: (raw) => snapInput.parse(raw),
  async run(deps, op, input) {
    const host = await hostOf(deps, input.hostId);
    await ignoreNotFound(() => deps.storageFor(host).deleteSnapshot(input.name, input.snapshot));
    await syncHostStorage(deps, host, { ownLock: op.lockKey });
    return { host: host.name, volume: input.name, snapshot: input.snapshot, deleted: true };
  },
};
