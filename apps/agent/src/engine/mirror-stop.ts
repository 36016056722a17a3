// Source side: end a mirror without changing roles (ENGINE-NOTES: block-job-cancel after ready
// drains, flushes the target and ends without pivot; never block-job-complete).
import type { StopMirrorResult } from "@tandem/contracts/replication";
import { luOfVolume, removeMirror } from "../state/state-edits";
import type { MirrorRecord } from "../state/state-schema";
import { addClientExport, exportId } from "./block-graph";
import { requireVolume } from "./lookups";
import { cancelJob, jobIdOf, mirrorNodes, nodeExists, queryJobs, removeNode, resumeJob } from "./mirror-qmp";
import { requireMirror } from "./mirror-job";
import { listExports } from "./nbd-exports";
import { probeNbdExport } from "./nbd-probe";
import { runOperation } from "./operation";
import type { QmpSession } from "./qsd-access";
import type { StorageContext } from "./storage-context";
import { topNode } from "./volume-nodes";

/** A drain in async mode copies the whole lag first; past this the job is abandoned. */
const DRAIN_TIMEOUT_MS = 240_000;

/**
 * Ends the job of `record` and removes its target node, inside the caller's operation: drained
 * when ready with the link up (within `drainTimeoutMs`, else abandoned), abandoned otherwise.
 * An Active LU's export ends up on the volume's top node (QSD moves it off the filter).
 */
export async function endMirrorJob(
  ctx: StorageContext,
  qmp: QmpSession,
  record: MirrorRecord,
  drainTimeoutMs: number,
): Promise<{ drained: boolean; detail: string }> {
  const volume = requireVolume(ctx.store.state, record.volume);
  const jobId = jobIdOf(record.name);
  const nodes = mirrorNodes(record.nodeNumber);
  const live = ctx.mirrors.ensure(record.name);
  live.busy = "draining";
  ctx.mirrors.settlePhase(record, "stop requested");

  let drained = false;
  let detail: string;
  try {
    const job = (await queryJobs(qmp)).get(jobId);
    if (!job) {
      detail = "no job was running; the target holds what the last job copied";
    } else if (!job.ready) {
      await cancelJob(qmp, jobId, { force: true, timeoutMs: 30_000 });
      detail = "stopped during the first copy: the target is incomplete";
    } else if (job["io-status"] === "failed" || live.link === "down" || !(await probeNbdExport(record.target)).ok) {
      // Probed first: a target fenced a moment ago is not noticed until the next write, and a
      // drain towards it hangs in QSD instead of failing.
      await cancelJob(qmp, jobId, { force: true, timeoutMs: 30_000 });
      detail = "the target was unreachable: the job was abandoned and the target misses the latest writes";
    } else {
      // A paused job refuses a plain cancel; an operator pause is lifted for the drain.
      if (job.paused) await resumeJob(qmp, jobId);
      const end = await cancelJob(qmp, jobId, { force: false, timeoutMs: drainTimeoutMs }).catch(async (err: Error) => {
        await cancelJob(qmp, jobId, { force: true, timeoutMs: 30_000 }).catch(() => {});
        return { drained: false, error: err.message };
      });
      drained = end.drained;
      detail = drained ? "drained: the target was flushed and holds the same data" : `the drain failed (${end.error}); the target misses the latest writes`;
    }
    if (await nodeExists(qmp, nodes.target)) await removeNode(qmp, nodes.target);
    // The filter is gone: QSD moved the client export back to the volume node. Re-add it if not.
    const lu = luOfVolume(ctx.store.state, record.volume);
    if (lu?.state === "active" && !(await listExports(qmp)).has(exportId(lu.guid))) await addClientExport(qmp, topNode(volume), lu.guid);
  } finally {
    live.busy = null;
  }
  return { drained, detail };
}

export function stopMirror(ctx: StorageContext, name: string): Promise<StopMirrorResult> {
  return runOperation(ctx, "stop mirror", async (op) => {
    const record = requireMirror(ctx.store.state, name);
    const { drained, detail } = await endMirrorJob(ctx, ctx.qsd.session(), record, DRAIN_TIMEOUT_MS);
    await op.commit(removeMirror(ctx.store.state, name), [["mirror.stopped", { name, volume: record.volume, drained, detail }]]);
    ctx.mirrors.forget(name);
    ctx.log.info("mirror stopped", { name, drained, detail });
    return { name, drained, detail };
  });
}
