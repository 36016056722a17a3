// QMP steps of a mirror job on the source (ENGINE-NOTES "Mirror jobs"). Each names itself in the
// error it raises and keeps QSD's own words.
import { z } from "zod";
import type { MirrorTarget } from "@tandem/contracts/replication";
import { QmpCommandError } from "../qmp/qmp-errors";
import type { QmpSession } from "./qsd-access";
import { step, waitForEvent } from "./block-graph";
import { engineFailure, errorText, StorageError } from "./storage-error";

/** QSD job ids must start with a letter; resource names may start with a digit (no upper case, so no clash). */
export const jobIdOf = (mirror: string) => (/^[a-z]/.test(mirror) ? mirror : `M${mirror}`);

/** Node names are limited to 31 characters: numbered, not named after the mirror. */
export const mirrorNodes = (nodeNumber: number) => ({ target: `mirror${nodeNumber}-tgt`, filter: `mirror${nodeNumber}-flt` });

const blockJob = z
  .object({
    device: z.string(),
    type: z.string(),
    status: z.string(),
    offset: z.number(),
    len: z.number(),
    speed: z.number(),
    ready: z.boolean(),
    paused: z.boolean(),
    busy: z.boolean(),
    "io-status": z.string().optional(),
    error: z.string().optional(),
  })
  .loose();
export type BlockJob = z.infer<typeof blockJob>;

export async function queryJobs(qmp: QmpSession): Promise<Map<string, BlockJob>> {
  const jobs = await step("list block jobs", () => qmp.execute("query-block-jobs", undefined, { returns: z.array(blockJob) }));
  return new Map(jobs.map((j) => [j.device, j]));
}

const namedNodes = z.array(
  z
    .object({
      "node-name": z.string(),
      "dirty-bitmaps": z.array(z.object({ name: z.string().optional(), count: z.number() }).loose()).optional(),
    })
    .loose(),
);

/**
 * Dirty bytes of each node's unnamed bitmaps (a mirror job's own). While a job is paused QSD
 * stops updating its `len`, so writes made meanwhile show only here.
 */
export async function dirtyBytesByNode(qmp: QmpSession): Promise<Map<string, number>> {
  const nodes = await step("list block nodes", () => qmp.execute("query-named-block-nodes", { flat: true }, { returns: namedNodes }));
  const result = new Map<string, number>();
  for (const n of nodes) {
    const count = (n["dirty-bitmaps"] ?? []).filter((b) => b.name === undefined || b.name === "").reduce((sum, b) => sum + b.count, 0);
    if (count > 0) result.set(n["node-name"], count);
  }
  return result;
}

export async function nodeExists(qmp: QmpSession, nodeId: string): Promise<boolean> {
  const nodes = await step("list block nodes", () => qmp.execute("query-named-block-nodes", { flat: true }, { returns: namedNodes }));
  return nodes.some((n) => n["node-name"] === nodeId);
}

/**
 * NBD client node to the target's replication export. reconnect-delay 0: with a longer delay,
 * sync-mode client writes hang while the peer is away (ENGINE-NOTES).
 */
export async function addTargetNode(qmp: QmpSession, nodeId: string, target: MirrorTarget): Promise<void> {
  const where = `${target.exportName} at ${target.host}:${target.port}`;
  try {
    await qmp.execute("blockdev-add", {
      driver: "nbd",
      "node-name": nodeId,
      server: { type: "inet", host: target.host, port: String(target.port) },
      export: target.exportName,
      "reconnect-delay": 0,
    });
  } catch (err) {
    const said = errorText(err);
    if (err instanceof QmpCommandError && /Failed to connect|Connection refused|timed out|No route/i.test(said)) {
      throw new StorageError("peer_unreachable", `connect to the target ${where}: ${said}`);
    }
    if (err instanceof QmpCommandError && /export not available/i.test(said)) {
      throw new StorageError("wrong_state", `the target does not offer ${where} (${said}); create the replication export there first`);
    }
    throw engineFailure(`connect to the target ${where}`, err);
  }
}

export function removeNode(qmp: QmpSession, nodeId: string): Promise<unknown> {
  return step(`remove node ${nodeId}`, () => qmp.execute("blockdev-del", { "node-name": nodeId }));
}

export interface MirrorJobSpec {
  jobId: string;
  device: string;
  target: string;
  filter: string;
  sync: "full" | "top" | "none";
  mode: "sync" | "async";
  speed: number;
}

const endEvents = new Set(["BLOCK_JOB_COMPLETED", "BLOCK_JOB_CANCELLED"]);

/**
 * blockdev-mirror answers `{}` even when the job dies at once (sizes differ: BLOCK_JOB_COMPLETED
 * with an error). The end event, if any, arrives before the reply to the query that follows,
 * so "the job is listed" is the proof that it started.
 */
export async function startMirrorJob(qmp: QmpSession, spec: MirrorJobSpec): Promise<void> {
  let ended: string | null = null;
  const off = qmp.onEvent((e) => {
    if (endEvents.has(e.event) && e.data?.device === spec.jobId) ended = typeof e.data.error === "string" ? e.data.error : "the job ended at once";
  });
  try {
    await step("start the mirror job", () =>
      qmp.execute("blockdev-mirror", {
        "job-id": spec.jobId,
        device: spec.device,
        target: spec.target,
        sync: spec.sync,
        "copy-mode": spec.mode === "sync" ? "write-blocking" : "background",
        "on-target-error": "stop", // never ignore: it floods events (ENGINE-NOTES)
        "filter-node-name": spec.filter,
        speed: spec.speed,
      }),
    );
    const listed = (await queryJobs(qmp)).has(spec.jobId);
    if (listed) return;
    const why = ended ?? "the job is not listed after it was started";
    if (/different sizes/i.test(why)) {
      throw new StorageError("size_mismatch", `the mirror job did not start: ${why} (source and target volumes must be the same size)`);
    }
    throw new StorageError("engine_error", `the mirror job did not start: ${why}`);
  } finally {
    off();
  }
}

/**
 * block-job-cancel and wait for the end. After ready (not forced) this drains, flushes the
 * target and ends without pivoting: BLOCK_JOB_COMPLETED. Forced, or before ready, the job is
 * abandoned: BLOCK_JOB_CANCELLED. Never block-job-complete: it would pivot clients to the target.
 */
export async function cancelJob(
  qmp: QmpSession,
  jobId: string,
  options: { force: boolean; timeoutMs: number },
): Promise<{ drained: boolean; error: string | null }> {
  const end = waitForEvent(qmp, "the end of the mirror job", (e) => endEvents.has(e.event) && e.data?.device === jobId, options.timeoutMs);
  try {
    await step("stop the mirror job", () => qmp.execute("block-job-cancel", { device: jobId, force: options.force }));
  } catch (err) {
    end.cancel();
    throw err;
  }
  const e = await step("stop the mirror job", () => end.promise);
  const error = typeof e.data?.error === "string" ? e.data.error : null;
  return { drained: e.event === "BLOCK_JOB_COMPLETED" && error === null, error };
}

export function pauseJob(qmp: QmpSession, jobId: string): Promise<unknown> {
  return step("pause the mirror job", () => qmp.execute("block-job-pause", { device: jobId }));
}

export function resumeJob(qmp: QmpSession, jobId: string): Promise<unknown> {
  return step("resume the mirror job", () => qmp.execute("block-job-resume", { device: jobId }));
}

export function setJobSpeed(qmp: QmpSession, jobId: string, speed: number): Promise<unknown> {
  return step("set the mirror speed", () => qmp.execute("block-job-set-speed", { device: jobId, speed }));
}
