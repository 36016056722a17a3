// Maintenance after a failover: fold the promotion overlay back into the volume's image
// (ENGINE-NOTES: commit is refused while a mirror runs). Client export away (hard) → mirror
// drained and cancelled (no pivot) → block-commit + block-job-complete → overlay node deleted →
// mirror restarted sync=none with its named filter → client export back on the filter. Nothing
// is copied to the target again; clients see one short outage, measured and reported.
import type { MergeOverlayResult } from "@tandem/contracts/failover";
import { luOfVolume, updateVolume } from "../state/state-edits";
import { addClientExport, closeVolumeNode, exportId, removeClientExport } from "./block-graph";
import { clientExportNode } from "./export-node";
import { requireVolume } from "./lookups";
import { waitDrained } from "./mirror-modify";
import { refreshMirror } from "./mirror-progress";
import { cancelJob, jobIdOf, mirrorNodes, queryJobs, startMirrorJob, type MirrorJobSpec } from "./mirror-qmp";
import { addNbdExport, listExports, removeNbdExport } from "./nbd-exports";
import { runOperation } from "./operation";
import { commitOverlay } from "./overlay-qmp";
import { removeImage } from "./image-files";
import { replExportId } from "./replication-names";
import { errorText, StorageError } from "./storage-error";
import type { StorageContext } from "./storage-context";

const DRAIN_TIMEOUT_MS = 30_000;
/** The commit copies what the overlay holds (about 1 s per GiB here); generous. */
const COMMIT_TIMEOUT_MS = 30 * 60_000;

export function mergeOverlay(ctx: StorageContext, name: string): Promise<MergeOverlayResult> {
  return runOperation(ctx, "merge the overlay", async (op) => {
    const state = ctx.store.state;
    const volume = requireVolume(state, name);
    const p = volume.promotion;
    if (!p) {
      return { volume: name, merged: false, detail: `volume ${name} is not promoted: nothing to merge`, committedBytes: 0, clientOutageMs: 0, mirrorRestarted: false };
    }
    if (p.baseExport) {
      throw new StorageError("wrong_state", `the frozen base of volume ${name} is exported for a failback; remove the base export first`);
    }
    ctx.busy.require(name, "merge the overlay of");
    const qmp = ctx.qsd.session();
    const ovl = p.overlay.nodeId;
    const mirror = state.mirrors.find((m) => m.volume === name);
    const repl = state.replicationExports.find((e) => e.volume === name);
    const lu = luOfVolume(state, name);
    const exports = await listExports(qmp);
    const exported = lu?.state === "active" && exports.has(exportId(lu.guid));
    const jobId = mirror ? jobIdOf(mirror.name) : null;
    const job = jobId ? (await queryJobs(qmp)).get(jobId) : undefined;
    const live = mirror ? ctx.mirrors.ensure(mirror.name) : null;
    if (job && (!job.ready || job.paused || job["io-status"] === "failed" || live?.link === "down")) {
      throw new StorageError("wrong_state", `mirror ${mirror!.name} is ${live!.phase}; the overlay is merged only while the mirror is ready (in sync, link up, not paused)`);
    }
    const spec = (device: string): MirrorJobSpec => {
      const nodes = mirrorNodes(mirror!.nodeNumber);
      return { jobId: jobId!, device, target: nodes.target, filter: nodes.filter, sync: "none", mode: mirror!.mode, speed: mirror!.speedLimitBytesPerSec };
    };

    const t0 = performance.now();
    let committedBytes: number;
    try {
      if (exported) {
        await removeClientExport(qmp, lu.guid);
        op.onUndo("re-export the LU", async () => addClientExport(qmp, await clientExportNode(ctx.store.state, qmp, volume), lu.guid));
      }
      if (job && live) {
        live.busy = "draining";
        await waitDrained(qmp, jobId!, DRAIN_TIMEOUT_MS);
        const end = await cancelJob(qmp, jobId!, { force: false, timeoutMs: DRAIN_TIMEOUT_MS });
        if (!end.drained) throw new StorageError("engine_error", `the mirror job did not end cleanly: ${end.error ?? "cancelled"}`);
        op.onUndo("restart the mirror job on the overlay", () => startMirrorJob(qmp, spec(ovl)));
      }
      // A target's source sees a short link loss here and resumes with the dirty data only.
      if (repl && exports.has(replExportId(repl.mirror))) {
        const id = replExportId(repl.mirror);
        await removeNbdExport(qmp, id);
        op.onUndo("restore the replication export", () => addNbdExport(qmp, { id, nodeId: ovl, name: id, writable: true }));
      }
      committedBytes = await commitOverlay(qmp, `merge-${ovl}`, ovl, COMMIT_TIMEOUT_MS);
      // The base holds everything now: record that first; from here on only forward steps.
      await op.commit(updateVolume(ctx.store.state, name, (v) => ({ ...v, promotion: undefined })));
    } finally {
      if (live) live.busy = null;
    }

    const merged = requireVolume(ctx.store.state, name);
    const problems: string[] = [];
    const attempt = async (what: string, fn: () => Promise<unknown>) => {
      try {
        await fn();
        return true;
      } catch (err) {
        problems.push(`${what}: ${errorText(err)}`);
        return false;
      }
    };
    await attempt("delete the overlay node", () => closeVolumeNode(qmp, ovl));
    let mirrorRestarted = false;
    if (job && mirror && live) {
      live.busy = "starting";
      mirrorRestarted = await attempt("restart the mirror (sync=none)", () => startMirrorJob(qmp, spec(merged.nodeId)));
      live.busy = null;
      if (mirrorRestarted) ctx.mirrors.jobStarted(mirror.name, "none");
      else live.restartPending = true; // the link loop starts it again (sync=full)
    }
    if (exported) await attempt("re-export the LU", async () => addClientExport(qmp, await clientExportNode(ctx.store.state, qmp, merged), lu.guid));
    const clientOutageMs = exported ? Math.round((performance.now() - t0) * 10) / 10 : 0;
    if (repl) {
      const id = replExportId(repl.mirror);
      await attempt("restore the replication export", () => addNbdExport(qmp, { id, nodeId: merged.nodeId, name: id, writable: true }));
    }
    await removeImage(ctx.pools.imagePath(volume.pool, p.overlay.file)).catch((err: Error) => problems.push(`remove ${p.overlay.file}: ${err.message}`));
    if (mirror) await refreshMirror(ctx, qmp, mirror.name);

    const detail = problems.length === 0 ? "overlay merged into the base" : `overlay merged into the base, but: ${problems.join("; ")}`;
    ctx.publish("volume.overlay_merged", { name, mirror: p.mirror, committedBytes, clientOutageMs, mirrorRestarted, problems });
    (problems.length === 0 ? ctx.log.info : ctx.log.error)("promotion overlay merged", { name, committedBytes, clientOutageMs, mirrorRestarted, problems: problems.join("; ") });
    if (problems.length > 0) throw new StorageError("engine_error", `volume ${name}: ${detail}`);
    return { volume: name, merged: true, detail, committedBytes, clientOutageMs, mirrorRestarted };
  });
}
