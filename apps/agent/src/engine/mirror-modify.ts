// PATCH /v1/mirrors/:name: speed in place; mode by restarting the job. QSD 7.2 has no
// block-job-change, so a mode change is: client export away (hard) → drain → cancel after
// ready (no pivot) → new job sync=none with the new copy mode → client export on the filter.
// Nothing is copied again; clients see a short outage, measured and reported.
import { setTimeout as sleep } from "node:timers/promises";
import type { MirrorMode } from "@tandem/contracts/replication";
import { luOfVolume, putMirror } from "../state/state-edits";
import type { MirrorRecord } from "../state/state-schema";
import { addClientExport, exportId, removeClientExport } from "./block-graph";
import { requireVolume } from "./lookups";
import { cancelJob, jobIdOf, mirrorNodes, queryJobs, setJobSpeed, startMirrorJob, type MirrorJobSpec } from "./mirror-qmp";
import { requireMirror } from "./mirror-job";
import { listExports } from "./nbd-exports";
import { refreshMirror } from "./mirror-progress";
import { runOperation, type Operation } from "./operation";
import type { QmpSession } from "./qsd-access";
import { StorageError } from "./storage-error";
import type { StorageContext } from "./storage-context";
import { topNode } from "./volume-nodes";

const DRAIN_TIMEOUT_MS = 30_000;

/** Waits until the job has copied everything it knows of (offset == len), with clients away. */
export async function waitDrained(qmp: QmpSession, jobId: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = (await queryJobs(qmp)).get(jobId);
    if (!job) throw new StorageError("engine_error", "the mirror job ended while it was being drained");
    if (job.ready && job.offset === job.len) return;
    if (Date.now() > deadline) {
      throw new StorageError("wrong_state", `the mirror did not catch up within ${timeoutMs / 1000} s (${job.len - job.offset} bytes behind)`);
    }
    await sleep(10);
  }
}

async function changeMode(ctx: StorageContext, record: MirrorRecord, mode: MirrorMode, op: Operation) {
  const qmp = ctx.qsd.session();
  const jobId = jobIdOf(record.name);
  const nodes = mirrorNodes(record.nodeNumber);
  const volume = requireVolume(ctx.store.state, record.volume);
  const job = (await queryJobs(qmp)).get(jobId);
  const live = ctx.mirrors.ensure(record.name);
  if (!job || !job.ready || job.paused || job["io-status"] === "failed" || live.link === "down") {
    throw new StorageError("wrong_state", `mirror ${record.name} is ${live.phase}; its mode can change only while it is ready (in sync, link up, not paused)`);
  }
  const spec = (m: MirrorMode): MirrorJobSpec => ({
    jobId,
    device: topNode(volume),
    target: nodes.target,
    filter: nodes.filter,
    sync: "none",
    mode: m,
    speed: record.speedLimitBytesPerSec,
  });
  const lu = luOfVolume(ctx.store.state, record.volume);
  const exported = lu?.state === "active" && (await listExports(qmp)).has(exportId(lu.guid));

  live.busy = "draining";
  const t0 = performance.now();
  try {
    if (exported) {
      await removeClientExport(qmp, lu.guid);
      // Undo runs last-first: the old job is back before the export returns onto its filter.
      op.onUndo("re-export the LU on the filter", () => addClientExport(qmp, nodes.filter, lu.guid));
    }
    await waitDrained(qmp, jobId, DRAIN_TIMEOUT_MS);
    const end = await cancelJob(qmp, jobId, { force: false, timeoutMs: DRAIN_TIMEOUT_MS });
    if (!end.drained) throw new StorageError("engine_error", `the mirror job did not end cleanly: ${end.error ?? "cancelled"}`);
    op.onUndo("restart the job in the old mode", () => startMirrorJob(qmp, spec(record.mode)));
    live.busy = "starting";
    await startMirrorJob(qmp, spec(mode));
    if (exported) await addClientExport(qmp, nodes.filter, lu.guid);
  } finally {
    live.busy = null;
  }
  const clientOutageMs = exported ? Math.round((performance.now() - t0) * 10) / 10 : 0;
  ctx.mirrors.jobStarted(record.name, "none");
  ctx.mirrors.setModeChange(record.name, { from: record.mode, to: mode, clientOutageMs });
  ctx.log.info("mirror mode changed", { name: record.name, from: record.mode, to: mode, clientOutageMs });
  return clientOutageMs;
}

export function modifyMirror(
  ctx: StorageContext,
  name: string,
  change: { mode?: MirrorMode; speedLimitBytesPerSec?: number },
): Promise<MirrorRecord> {
  return runOperation(ctx, "modify mirror", async (op) => {
    const record = requireMirror(ctx.store.state, name);
    let next: MirrorRecord = { ...record };
    let clientOutageMs: number | undefined;
    if (change.speedLimitBytesPerSec !== undefined && change.speedLimitBytesPerSec !== record.speedLimitBytesPerSec) {
      next.speedLimitBytesPerSec = change.speedLimitBytesPerSec;
      const qmp = ctx.qsd.session();
      if ((await queryJobs(qmp)).has(jobIdOf(name))) {
        await setJobSpeed(qmp, jobIdOf(name), next.speedLimitBytesPerSec);
        op.onUndo("restore the speed", () => setJobSpeed(qmp, jobIdOf(name), record.speedLimitBytesPerSec));
      }
    }
    if (change.mode !== undefined && change.mode !== record.mode) {
      // The new job takes the new speed with it.
      clientOutageMs = await changeMode(ctx, next, change.mode, op);
      next = { ...next, mode: change.mode };
    }
    if (next.mode === record.mode && next.speedLimitBytesPerSec === record.speedLimitBytesPerSec) return record;
    await op.commit(putMirror(ctx.store.state, next), [
      ["mirror.modified", { name, mode: next.mode, speedLimitBytesPerSec: next.speedLimitBytesPerSec, ...(clientOutageMs === undefined ? {} : { clientOutageMs }) }],
    ]);
    if (ctx.qsd.problem() === null) await refreshMirror(ctx, ctx.qsd.session(), name);
    return next;
  });
}
