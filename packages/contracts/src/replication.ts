// Agent API v1, replication part. A mirror runs from a volume on the source host to a volume on
// the target host: the target exposes a writable *replication export* of its volume; the source
// adds an NBD client node to it and runs a QSD mirror job whose filter node carries the client
// export, so every client write passes the mirror (ENGINE-NOTES: an export below the filter
// silently diverges).
import { z } from "zod";
import { resourceName } from "./agent";

/**
 * A mirror's name is unique on the console and names the QSD job on the source (job ids must
 * start with a letter: a name starting with a digit gets the job id `M<name>`).
 */
export const mirrorName = resourceName;

export const mirrorMode = z.enum(["sync", "async"]);
export type MirrorMode = z.infer<typeof mirrorMode>;

/** Fences: `epoch` travels with every replication call; an agent refuses an older one (409 stale_epoch). */
export const epoch = z.number().int().nonnegative();

// ---- target side ---------------------------------------------------------------------------

/** POST /v1/replication/exports → 201 ReplicationExport (200 when it already existed: idempotent). */
export const createReplicationExportRequest = z.strictObject({
  volume: resourceName,
  /** The mirror this export serves; names the export so two mirrors never share one. */
  mirror: mirrorName,
  epoch,
});

/**
 * GET /v1/replication/exports → ReplicationExport[]. DELETE /v1/replication/exports/:mirror
 * (optional `?epoch=N` raises the recorded epoch at the same time) → 204: the export and its
 * clients are dropped (hard); this is the fence used at failover.
 */
export const replicationExport = z.object({
  volume: resourceName,
  mirror: mirrorName,
  /** NBD export name: `repl-<mirror>` (never a GUID, so never a client export's name). */
  exportName: z.string(),
  /** Where this agent's NBD server listens, as configured (the source connects there). */
  host: z.string(),
  port: z.number().int(),
  epoch,
  createdAt: z.string(),
});
export type ReplicationExport = z.infer<typeof replicationExport>;

// ---- source side ---------------------------------------------------------------------------

export const mirrorTarget = z.strictObject({
  host: z.string().regex(/^[A-Za-z0-9.:_-]+$/, "host may contain only letters, digits, '.', ':', '_' and '-'"),
  port: z.number().int().min(1).max(65535),
  exportName: z.string().regex(/^[A-Za-z0-9._-]{1,200}$/, "must be an export name such as repl-<mirror>"),
});
export type MirrorTarget = z.infer<typeof mirrorTarget>;

/** POST /v1/mirrors → 201 MirrorJob (200 with the running job when the same mirror is asked again). */
export const startMirrorRequest = z.strictObject({
  /** Mirror name (unique on the console); also the job id on the source. */
  name: mirrorName,
  volume: resourceName,
  target: mirrorTarget,
  mode: mirrorMode,
  /** full: first copy; top: allocated clusters of the top image only; none: nothing (sides already equal). */
  sync: z.enum(["full", "top", "none"]),
  /** 0 = unlimited. Throttles the background copy (initial sync, catch-up), not sync-mode client writes. */
  speedLimitBytesPerSec: z.number().int().nonnegative().default(0),
  epoch,
});

export const mirrorJobPhase = z.enum(["starting", "copying", "ready", "paused", "link_down", "draining", "stopped", "error"]);
export type MirrorJobPhase = z.infer<typeof mirrorJobPhase>;

/** GET /v1/mirrors → MirrorJob[]; GET /v1/mirrors/:name, POST …/pause, POST …/resume, PATCH /v1/mirrors/:name → MirrorJob. */
export const mirrorJob = z.object({
  name: mirrorName,
  volume: resourceName,
  target: z.object({ host: z.string(), port: z.number().int(), exportName: z.string() }),
  mode: mirrorMode,
  /** How the current job started: `full` after a restart of QSD or the agent (nothing tells what changed). */
  sync: z.enum(["full", "top", "none"]),
  phase: mirrorJobPhase,
  /** Whether the target's NBD export answered the agent's last probe (once a second). */
  link: z.enum(["up", "down", "unknown"]),
  linkDownSince: z.string().nullable(),
  /** Set by POST …/pause, cleared by …/resume; kept across restarts. The link retry never undoes it. */
  pausedByOperator: z.boolean(),
  /** QSD's job counters: offset = done, len = total (grows with every write while ready). */
  offset: z.number().int().nonnegative(),
  len: z.number().int().nonnegative(),
  /** len − offset: what the target still lacks (0 in sync mode once ready). */
  lagBytes: z.number().int().nonnegative(),
  rateBytesPerSec: z.number().nonnegative(),
  /**
   * Progress bytes since the current job started (offset deltas). During a full sync this counts
   * unallocated ranges too, which pass quickly without moving data.
   */
  bytesCopied: z.number().int().nonnegative(),
  /** When the job last came back from link_down, and the bytes it copied since (≈ the dirty data). */
  resumedAt: z.string().nullable(),
  bytesCopiedSinceResume: z.number().int().nonnegative(),
  speedLimitBytesPerSec: z.number().int().nonnegative(),
  /** Why the mirror is in `error` (QSD's words), or the last link error while link_down. */
  error: z.string().nullable(),
  epoch,
  createdAt: z.string(),
  /** When the current job started. */
  startedAt: z.string(),
  readyAt: z.string().nullable(),
  /** The last in-place mode change: the client export is away while the job is restarted. */
  lastModeChange: z
    .object({ at: z.string(), from: mirrorMode, to: mirrorMode, clientOutageMs: z.number().nonnegative() })
    .nullable(),
});
export type MirrorJob = z.infer<typeof mirrorJob>;

/** PATCH /v1/mirrors/:name. A mode change needs phase `ready`; nothing is copied again. */
export const modifyMirrorRequest = z
  .strictObject({
    mode: mirrorMode.optional(),
    speedLimitBytesPerSec: z.number().int().nonnegative().optional(),
  })
  .refine((r) => r.mode !== undefined || r.speedLimitBytesPerSec !== undefined, "give mode or speedLimitBytesPerSec");

/**
 * DELETE /v1/mirrors/:name → 200 StopMirrorResult. A ready job with the link up is drained
 * (block-job-cancel after ready: the target is flushed and equal, no pivot); a job without a
 * link, or still in its first copy, is abandoned and the target is not consistent.
 */
export const stopMirrorResult = z.object({
  name: mirrorName,
  drained: z.boolean(),
  detail: z.string(),
});
export type StopMirrorResult = z.infer<typeof stopMirrorResult>;

/**
 * Event `mirror.progress`: sampled at 5 Hz on the source, sent at most every 250 ms per mirror
 * and only when something changed. Live only: not kept for replay (GET /v1/mirrors after a
 * reconnect). Structural changes come as `mirror.phase` {name, from, to, reason},
 * `mirror.started`, `mirror.modified`, `mirror.stopped`, `replication.export_created` and
 * `replication.export_deleted`.
 */
export const mirrorProgressEvent = z.object({
  name: mirrorName,
  phase: mirrorJobPhase,
  offset: z.number(),
  len: z.number(),
  lagBytes: z.number(),
  rateBytesPerSec: z.number(),
  bytesCopied: z.number(),
  bytesCopiedSinceResume: z.number(),
  at: z.string(),
});
export type MirrorProgressEvent = z.infer<typeof mirrorProgressEvent>;

/** GET /v1/replication: everything about replication on this host in one call. */
export const replicationStatus = z.object({
  mirrors: z.array(mirrorJob),
  exports: z.array(replicationExport),
  /** Highest epoch recorded per mirror name (kept after a fence, so an old one stays refused). */
  epochs: z.record(z.string(), epoch),
});
export type ReplicationStatus = z.infer<typeof replicationStatus>;

// ---- verification ----------------------------------------------------------------------------

/** POST /v1/volumes/:name/checksums. Chunked SHA-256 of a volume, read over NBD from the agent's own QSD. */
export const checksumRequest = z.strictObject({
  chunkBytes: z
    .number()
    .int()
    .min(65536)
    .max(64 * 2 ** 20)
    .refine((n) => n % 512 === 0, "must be a multiple of 512")
    .default(4 * 2 ** 20),
  /** top: what clients see; base: the frozen base under a promotion overlay (409 wrong_state without one). */
  layer: z.enum(["top", "base"]).default("top"),
});
export const checksumResult = z.object({
  volume: resourceName,
  sizeBytes: z.number().int(),
  chunkBytes: z.number().int(),
  layer: z.enum(["top", "base"]).optional(),
  /** hex SHA-256 per chunk, in order (the last chunk may be shorter) */
  chunks: z.array(z.string()),
  /** How long reading and hashing took. */
  elapsedMs: z.number().nonnegative(),
});
export type ChecksumResult = z.infer<typeof checksumResult>;

/**
 * `error.code` values added by the replication routes: 409 stale_epoch | size_mismatch |
 * in_use | exists | wrong_state, 503 peer_unreachable (the target's NBD export cannot be reached).
 */
export const REPLICATION_CONFLICT_CODES = ["stale_epoch", "size_mismatch"] as const;
