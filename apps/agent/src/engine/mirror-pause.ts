// Operator pause and resume. The pause is recorded so that neither the link retry nor a restart
// undoes it.
import { putMirror } from "../state/state-edits";
import type { MirrorRecord } from "../state/state-schema";
import { jobIdOf, pauseJob, queryJobs, resumeJob } from "./mirror-qmp";
import { requireMirror, restartJob } from "./mirror-job";
import { refreshMirror } from "./mirror-progress";
import { runOperation } from "./operation";
import type { StorageContext } from "./storage-context";

export function pauseMirror(ctx: StorageContext, name: string): Promise<MirrorRecord> {
  return runOperation(ctx, "pause mirror", async (op) => {
    const record = requireMirror(ctx.store.state, name);
    if (record.paused) return record;
    const qmp = ctx.qsd.session();
    const job = (await queryJobs(qmp)).get(jobIdOf(name));
    // A job paused by a target error is paused already; the flag keeps the retry away from it.
    if (job && !job.paused) {
      await pauseJob(qmp, jobIdOf(name));
      op.onUndo("resume the job", () => resumeJob(qmp, jobIdOf(name)));
    }
    const next = { ...record, paused: true };
    await op.commit(putMirror(ctx.store.state, next), [["mirror.modified", { name, paused: true }]]);
    await refreshMirror(ctx, qmp, name);
    ctx.log.info("mirror paused", { name });
    return next;
  });
}

/** Lifts an operator pause; a mirror without a job (failed, or never restarted) gets a new one (sync=full). */
export function resumeMirror(ctx: StorageContext, name: string): Promise<MirrorRecord> {
  return runOperation(ctx, "resume mirror", async (op) => {
    const record = requireMirror(ctx.store.state, name);
    const qmp = ctx.qsd.session();
    const next = { ...record, paused: false };
    if (record.paused) await op.commit(putMirror(ctx.store.state, next), [["mirror.modified", { name, paused: false }]]);
    const job = (await queryJobs(qmp)).get(jobIdOf(name));
    const live = ctx.mirrors.ensure(name);
    if (!job) {
      live.error = null;
      await restartJob(ctx, qmp, next);
    } else if (job.paused && live.link !== "down") {
      // With the link down the retry loop resumes it once the target answers.
      await resumeJob(qmp, jobIdOf(name));
    }
    await refreshMirror(ctx, qmp, name);
    ctx.log.info("mirror resumed", { name });
    return next;
  });
}
