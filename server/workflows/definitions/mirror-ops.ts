// Mirror operations: create + initialize, modify, pause, resume, delete. Every step looks at
// the hosts' actual state before it acts, so a step that runs again after a crash is harmless.
import { z } from "zod";
import { casMirrorState, deleteMirrorRow, updateMirror } from "@/server/db/mirror-store";
import { deleteLuRow, deleteVolumeRow, upsertLu } from "@/server/db/storage-store";
import { appendEvent } from "@/server/db/event-store";
import { TandemError } from "@/server/domain/errors";
import { canTransition, mirrorState, type MirrorState } from "@/server/domain/mirror/mirror.machine";
import type { Deps } from "@/server/services/deps";
import type { OperationDefinition, StepDefinition } from "../types";
import { ignoreNotFound } from "./host-of";
import { mirrorContext, nbdAddress } from "./mirror-context";

const mirrorIdInput = z.object({ mirrorId: z.string() });
type MirrorIdInput = z.infer<typeof mirrorIdInput>;

/**
 * Moves the mirror's state if the table allows it; a no-op when it is there already.
 * `expectedFrom`: the state the caller's decision was based on; when the mirror has moved on
 * since (an operation changed it while the caller waited on a host), nothing is written.
 */
export async function moveState(deps: Pick<Deps, "db" | "bus" | "now">, mirrorId: string, to: MirrorState, reason: string | null, actor = "system:worker", expectedFrom?: MirrorState) {
  const row = await deps.db.mirror.findUnique({ where: { id: mirrorId } });
  if (!row) return false;
  const from = mirrorState.catch("error").parse(row.state);
  if (from === to || (expectedFrom !== undefined && from !== expectedFrom)) return false;
  if (!canTransition(from, to)) return false;
  const at = deps.now();
  if (!(await casMirrorState(deps.db, mirrorId, from, to, reason, at))) return false;
  await appendEvent(deps.db, { kind: "mirror.state", subjectType: "mirror", subjectId: mirrorId, actor, message: `${row.name}: ${from} → ${to}${reason ? ` (${reason})` : ""}`, data: { from, to }, at });
  deps.bus.publish({ type: "mirror.state", mirrorId, name: row.name, from, to, reason, at: at.toISOString() });
  return true;
}

const prepareTarget: StepDefinition<MirrorIdInput> = {
  name: "prepare-target",
  title: "Target LU to Standby, replication export on the target",
  async run({ deps, input }) {
    const { mirror, source, target } = await mirrorContext(deps, input.mirrorId);
    const agent = deps.storageFor(target.host);
    // A mirrored LU keeps one GUID: the target gets the source's GUID, in Standby.
    if (source.lu) {
      const existing = (await agent.lus()).find((l) => l.volume === target.name);
      if (existing?.state === "active") throw new TandemError("PRECONDITION_FAILED", `target ${target.host.name}/${target.name} is an Active LU`, { retryable: false });
      const l = existing ?? (await agent.createLu({ volume: target.name, guid: source.lu.guid, alias: source.lu.alias ?? undefined, state: "standby" }));
      await upsertLu(deps.db, { guid: l.guid, hostId: target.host.id, volumeId: target.id, alias: l.alias, exportName: l.exportName, uri: l.uri, accessState: l.state, stateChangedAt: new Date(l.stateChangedAt) });
    }
    const exp = (await agent.replicationExports()).find((e) => e.mirror === mirror.name) ?? (await agent.createReplicationExport({ volume: target.name, mirror: mirror.name, epoch: mirror.epoch }));
    return { exportName: exp.exportName };
  },
};

const startJob: StepDefinition<MirrorIdInput> = {
  name: "start-job",
  title: "Start the mirror job on the source",
  async run({ deps, input, outputs }) {
    const { mirror, source, target } = await mirrorContext(deps, input.mirrorId);
    const agent = deps.storageFor(source.host);
    const running = await ignoreNotFound(() => agent.mirror(mirror.name));
    if (!running) {
      const { exportName } = outputs["prepare-target"] as { exportName: string };
      await agent.startMirror({
        name: mirror.name,
        volume: source.name,
        target: { ...nbdAddress(target.host), exportName },
        mode: mirror.mode as "sync" | "async",
        sync: "full",
        speedLimitBytesPerSec: Number(mirror.speedLimitBytesPerSec),
        epoch: mirror.epoch,
      });
    }
    await moveState(deps, mirror.id, "syncing", "initial copy");
    return { started: !running };
  },
};

const initialSync: StepDefinition<MirrorIdInput> = {
  name: "initial-sync",
  title: "Initial copy",
  async run({ deps, input, progress }) {
    const { mirror, source } = await mirrorContext(deps, input.mirrorId);
    const agent = deps.storageFor(source.host);
    let copied = 0;
    for (;;) {
      const job = await agent.mirror(mirror.name);
      copied = job.bytesCopied;
      await progress(job.offset, job.len);
      if (job.phase === "ready" && job.offset >= job.len) break;
      if (job.phase === "error") throw new TandemError("CONFLICT", `mirror job failed: ${job.error ?? "unknown error"}`, { retryable: false });
      await new Promise((r) => setTimeout(r, 250));
    }
    // The numbers go with the state, so nothing shows "in sync" with the old lag.
    await updateMirror(deps.db, mirror.id, { lagBytes: 0n, lagSeconds: 0, phase: "ready" });
    await moveState(deps, mirror.id, "in_sync", null);
    return { bytesCopied: copied };
  },
};

export const createMirrorOp: OperationDefinition<MirrorIdInput> = {
  kind: "mirror.create",
  parseInput: (raw) => mirrorIdInput.parse(raw),
  steps: () => [prepareTarget, startJob, initialSync],
  // The mirror stays, visibly in error with the reason, so the admin can fix the cause and
  // delete it (deleting is safe: its steps skip what never happened).
  onFailure: async (deps, _op, input, message) => {
    await moveState(deps, input.mirrorId, "error", `initialization failed: ${message}`);
  },
};

const modifyInput = mirrorIdInput.extend({ mode: z.enum(["sync", "async"]).optional(), speedLimitBytesPerSec: z.number().int().nonnegative().optional() });

export const modifyMirrorOp: OperationDefinition<z.infer<typeof modifyInput>> = {
  kind: "mirror.modify",
  parseInput: (raw) => modifyInput.parse(raw),
  async run(deps, _op, input) {
    const { mirror, source } = await mirrorContext(deps, input.mirrorId);
    const job = await deps.storageFor(source.host).modifyMirror(mirror.name, { mode: input.mode, speedLimitBytesPerSec: input.speedLimitBytesPerSec });
    await updateMirror(deps.db, mirror.id, {
      ...(input.mode ? { mode: input.mode } : {}),
      ...(input.speedLimitBytesPerSec !== undefined ? { speedLimitBytesPerSec: BigInt(input.speedLimitBytesPerSec) } : {}),
    });
    deps.bus.publish({ type: "mirror.changed", mirrorId: mirror.id });
    return { name: mirror.name, mode: job.mode, speedLimitBytesPerSec: job.speedLimitBytesPerSec, bytesCopied: job.bytesCopied };
  },
};

export const pauseMirrorOp: OperationDefinition<MirrorIdInput> = {
  kind: "mirror.pause",
  parseInput: (raw) => mirrorIdInput.parse(raw),
  async run(deps, op, input) {
    const { mirror, source } = await mirrorContext(deps, input.mirrorId);
    const job = await deps.storageFor(source.host).pauseMirror(mirror.name);
    await moveState(deps, mirror.id, "paused", "paused by an operator", op.actor);
    return { name: mirror.name, phase: job.phase };
  },
};

export const resumeMirrorOp: OperationDefinition<MirrorIdInput> = {
  kind: "mirror.resume",
  parseInput: (raw) => mirrorIdInput.parse(raw),
  async run(deps, op, input) {
    const { mirror, source } = await mirrorContext(deps, input.mirrorId);
    const job = await deps.storageFor(source.host).resumeMirror(mirror.name);
    const to: MirrorState = job.phase === "ready" ? (job.lagBytes === 0 ? "in_sync" : "lagging") : "syncing";
    await moveState(deps, mirror.id, to, null, op.actor);
    return { name: mirror.name, phase: job.phase };
  },
};

const deleteInput = mirrorIdInput.extend({ deleteTarget: z.boolean() });

export const deleteMirrorOp: OperationDefinition<z.infer<typeof deleteInput>> = {
  kind: "mirror.delete",
  parseInput: (raw) => deleteInput.parse(raw),
  steps: () => [
    {
      name: "stop-job",
      title: "Stop the mirror job (drain to the target, no pivot)",
      async run({ deps, input }) {
        const { mirror, source } = await mirrorContext(deps, input.mirrorId);
        await ignoreNotFound(() => deps.storageFor(source.host).stopMirror(mirror.name));
        return null;
      },
    },
    {
      name: "remove-export",
      title: "Remove the replication export on the target",
      async run({ deps, input }) {
        const { mirror, target } = await mirrorContext(deps, input.mirrorId);
        await ignoreNotFound(() => deps.storageFor(target.host).deleteReplicationExport(mirror.name));
        return null;
      },
    },
    {
      name: "target-volume",
      title: "Delete or keep the target volume",
      async run({ deps, input }) {
        const { target } = await mirrorContext(deps, input.mirrorId);
        if (!input.deleteTarget) return { kept: `${target.host.name}/${target.name}` };
        const agent = deps.storageFor(target.host);
        if (target.lu) {
          await ignoreNotFound(() => agent.deleteLu(target.lu!.guid));
          await deleteLuRow(deps.db, target.lu.id);
        }
        await ignoreNotFound(() => agent.deleteVolume(target.name));
        return { deleted: `${target.host.name}/${target.name}`, volumeId: target.id };
      },
    },
    {
      name: "forget",
      title: "Remove the mirror from Tandem",
      async run({ deps, input, outputs }) {
        const { mirror } = await mirrorContext(deps, input.mirrorId);
        await deleteMirrorRow(deps.db, mirror.id);
        const t = outputs["target-volume"] as { volumeId?: string };
        if (t.volumeId) await deleteVolumeRow(deps.db, t.volumeId);
        deps.bus.publish({ type: "mirror.changed", mirrorId: mirror.id });
        return { name: mirror.name, deleted: true };
      },
    },
  ],
};
