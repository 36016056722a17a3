// Source side: start a mirror job into the target's replication export (ENGINE-NOTES "Mirror
// jobs"), and start it again after a QSD or agent restart.
import type { MirrorMode, MirrorTarget } from "@tandem/contracts/replication";
import { setTimeout as sleep } from "node:timers/promises";
import { allocateNodeNumber, fenceOfVolume, findMirror, luOfVolume, mirrorOfVolume, putMirror, recordEpoch, removeFence } from "../state/state-edits";
import type { AgentState, MirrorRecord } from "../state/state-schema";
import { addClientExport, exportId, removeClientExport } from "./block-graph";
import { requireVolume } from "./lookups";
import { addTargetNode, cancelJob, jobIdOf, mirrorNodes, nodeExists, pauseJob, queryJobs, removeNode, startMirrorJob } from "./mirror-qmp";
import { refreshMirror } from "./mirror-progress";
import { listExports } from "./nbd-exports";
import { probeNbdExport } from "./nbd-probe";
import { runOperation, type Operation } from "./operation";
import type { QmpSession } from "./qsd-access";
import { notFound, StorageError } from "./storage-error";
import type { StorageContext } from "./storage-context";
import { topNode } from "./volume-nodes";

export interface StartMirrorInput {
  name: string;
  volume: string;
  target: MirrorTarget;
  mode: MirrorMode;
  sync: "full" | "top" | "none";
  speedLimitBytesPerSec: number;
  epoch: number;
}

export function requireMirror(s: AgentState, name: string): MirrorRecord {
  const m = findMirror(s, name);
  if (!m) throw notFound(`no mirror named ${name} has its source on this host`);
  return m;
}

/** Refuses an epoch older than the one recorded for the mirror: it comes from before a reversal or failover. */
export function checkEpoch(s: AgentState, mirror: string, epoch: number): void {
  const recorded = s.mirrorEpochs[mirror];
  if (recorded !== undefined && epoch < recorded) {
    throw new StorageError("stale_epoch", `mirror ${mirror} is at epoch ${recorded} on this host; a request with epoch ${epoch} is stale`);
  }
}

/** Polls until the job says ready; a sync=none job gets there at once. */
async function waitReady(qmp: QmpSession, jobId: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = (await queryJobs(qmp)).get(jobId);
    if (!job) throw new StorageError("engine_error", "the mirror job ended right after it started");
    if (job.ready) return;
    if (Date.now() > deadline) throw new StorageError("engine_error", `the mirror job (sync=none) was not ready within ${timeoutMs} ms`);
    await sleep(5);
  }
}

/**
 * The target must answer before QSD connects to it: blockdev-add of an NBD node blocks QSD's
 * monitor while it connects, and a silent peer would stall every other command.
 */
async function requireTarget(target: MirrorTarget): Promise<void> {
  const probe = await probeNbdExport(target);
  if (probe.ok) return;
  if (/does not offer export/.test(probe.why)) {
    throw new StorageError("wrong_state", `${probe.why}; create the replication export on the target first`);
  }
  throw new StorageError("peer_unreachable", `the target is unreachable: ${probe.why}`);
}

/**
 * The LU's client export must sit on the filter: exports present at job start are moved there
 * by QSD; one missing (or left below) is (re)added on the filter.
 */
async function exportOnFilter(ctx: StorageContext, qmp: QmpSession, volume: string, filter: string): Promise<void> {
  const lu = luOfVolume(ctx.store.state, volume);
  if (!lu || lu.state !== "active") return;
  const node = (await listExports(qmp)).get(exportId(lu.guid));
  if (node === filter) return;
  if (node !== undefined) await removeClientExport(qmp, lu.guid);
  await addClientExport(qmp, filter, lu.guid);
}

/**
 * Adds the target node unless it is there, starts the job and puts the client export on the
 * filter. Registers undo steps on `op` when given.
 */
export async function launchJob(
  ctx: StorageContext,
  qmp: QmpSession,
  record: MirrorRecord,
  sync: "full" | "top" | "none",
  op?: Operation,
): Promise<void> {
  const volume = requireVolume(ctx.store.state, record.volume);
  const nodes = mirrorNodes(record.nodeNumber);
  const jobId = jobIdOf(record.name);
  if (!(await nodeExists(qmp, nodes.target))) {
    await requireTarget(record.target);
    await addTargetNode(qmp, nodes.target, record.target);
    op?.onUndo("remove the target node", () => removeNode(qmp, nodes.target));
  }
  await startMirrorJob(qmp, {
    jobId,
    device: topNode(volume),
    target: nodes.target,
    filter: nodes.filter,
    sync,
    mode: record.mode,
    speed: record.speedLimitBytesPerSec,
  });
  op?.onUndo("abandon the mirror job", () => cancelJob(qmp, jobId, { force: true, timeoutMs: 10_000 }));
  await exportOnFilter(ctx, qmp, record.volume, nodes.filter);
  if (record.paused) await pauseJob(qmp, jobId);
}

function sameMirror(a: MirrorRecord, b: StartMirrorInput): boolean {
  return a.volume === b.volume && a.target.host === b.target.host && a.target.port === b.target.port && a.target.exportName === b.target.exportName;
}

/** POST /v1/mirrors. Idempotent: the same mirror asked again returns it (created false). */
export function startMirror(ctx: StorageContext, input: StartMirrorInput): Promise<{ record: MirrorRecord; created: boolean }> {
  return runOperation(ctx, "start mirror", async (op) => {
    const state = ctx.store.state;
    const volume = requireVolume(state, input.volume);
    checkEpoch(state, input.name, input.epoch);
    const existing = findMirror(state, input.name);
    if (existing) {
      if (!sameMirror(existing, input)) {
        throw new StorageError("exists", `mirror ${input.name} already runs from volume ${existing.volume} to ${existing.target.exportName} at ${existing.target.host}:${existing.target.port}`);
      }
      if (input.epoch > existing.epoch) {
        const next = putMirror(recordEpoch(state, input.name, input.epoch), { ...existing, epoch: input.epoch });
        await op.commit(next);
        return { record: findMirror(next, input.name)!, created: false };
      }
      return { record: existing, created: false };
    }
    const holder = mirrorOfVolume(state, volume.name);
    if (holder) throw new StorageError("in_use", `volume ${volume.name} is already the ${holder.role} of mirror ${holder.name}`);
    // A fenced volume may become a source again only at a newer epoch than its fence: the
    // console made this host the source again (e.g. a reversal after a failback).
    const fence = fenceOfVolume(state, volume.name);
    if (fence && input.epoch <= fence.epoch) {
      throw new StorageError(
        "stale_epoch",
        `volume ${volume.name} is held (${fence.reason}); a mirror from it needs an epoch above ${fence.epoch} (got ${input.epoch})`,
      );
    }
    ctx.busy.require(volume.name, "mirror");
    const lu = luOfVolume(state, volume.name);
    if (lu && lu.state !== "active" && lu.state !== "standby") {
      throw new StorageError("wrong_state", `LU ${lu.guid} of volume ${volume.name} is in ${lu.state}; retry when it has settled`);
    }

    const { nodeNumber, state: allocated } = allocateNodeNumber(state);
    const record: MirrorRecord = {
      name: input.name,
      volume: volume.name,
      target: input.target,
      mode: input.mode,
      speedLimitBytesPerSec: input.speedLimitBytesPerSec,
      epoch: input.epoch,
      paused: false,
      nodeNumber,
      createdAt: ctx.now().toISOString(),
    };
    const qmp = ctx.qsd.session();
    const live = ctx.mirrors.jobStarted(record.name, input.sync);
    live.busy = "starting";
    op.onUndo("forget the mirror's live state", async () => ctx.mirrors.forget(record.name));
    await launchJob(ctx, qmp, record, input.sync, op);
    // Nothing to copy: ready within milliseconds. Answer once it is, so the caller can go on.
    if (input.sync === "none") await waitReady(qmp, jobIdOf(record.name), 5_000);
    live.sync = input.sync;
    const next = putMirror(recordEpoch(fence ? removeFence(allocated, volume.name) : allocated, record.name, record.epoch), record);
    await op.commit(next, [
      ["mirror.started", { name: record.name, volume: record.volume, target: record.target, mode: record.mode, sync: input.sync, epoch: record.epoch }],
    ]);
    live.busy = null;
    await refreshMirror(ctx, qmp, record.name);
    if (fence) ctx.log.info("fence lifted: the volume is a mirror's source again at a newer epoch", { volume: volume.name, fence: fence.reason, epoch: record.epoch });
    ctx.log.info("mirror started", { name: record.name, volume: record.volume, target: `${record.target.host}:${record.target.port}/${record.target.exportName}`, mode: record.mode, sync: input.sync });
    return { record, created: true };
  });
}

/**
 * Starts the job of a known mirror that has none (after a restart, a failure, or while the
 * target was away). A restarted job cannot know what changed meanwhile: sync=full, which
 * passes unallocated ranges quickly.
 */
export async function restartJob(ctx: StorageContext, qmp: QmpSession, record: MirrorRecord): Promise<void> {
  if ((await queryJobs(qmp)).has(jobIdOf(record.name))) return;
  const fence = fenceOfVolume(ctx.store.state, record.volume);
  if (fence) throw new StorageError("stale_epoch", `volume ${record.volume} is held (${fence.reason}); the mirror job is not restarted`);
  const live = ctx.mirrors.jobStarted(record.name, "full");
  live.busy = "starting";
  try {
    await launchJob(ctx, qmp, record, "full");
    ctx.log.info("mirror job restarted with a full sync", { name: record.name });
    ctx.publish("mirror.started", { name: record.name, volume: record.volume, target: record.target, mode: record.mode, sync: "full", epoch: record.epoch, restart: true });
  } catch (err) {
    // A target that is away or not exporting yet: the link loop tries again. Anything else
    // (sizes differ, source unreadable) waits for the operator.
    const transient = err instanceof StorageError && (err.code === "peer_unreachable" || err.code === "wrong_state");
    live.restartPending = transient;
    live.error = transient ? null : err instanceof Error ? err.message : String(err);
    throw err;
  } finally {
    live.busy = null;
  }
  await refreshMirror(ctx, qmp, record.name);
}

/** Queued restart, for the link loop and POST …/resume. */
export function restartMirror(ctx: StorageContext, name: string): Promise<void> {
  return runOperation(ctx, "restart mirror job", async () => {
    const record = requireMirror(ctx.store.state, name);
    await restartJob(ctx, ctx.qsd.session(), record);
  });
}
