// Agent API v1, failover part: the building blocks the console combines into planned reversal,
// failover (fence, promote), failback (base export, compare, copy ranges, sync=top) and the
// later merge of the promotion overlay. Each call is idempotent and refuses misuse with a 4xx;
// the sequences are in ENGINE-NOTES ("Planned reversal", "Unplanned failover and failback").
import { z } from "zod";
import { resourceName } from "./agent";
import { epoch, mirrorName, replicationStatus, stopMirrorResult } from "./replication";

const isoTime = z.string();

// ---- holds and fences ------------------------------------------------------------------------

/**
 * Why a volume's LU may not serve clients here: this host was the source of `mirror` and was
 * fenced at `epoch` (POST /v1/mirrors/:name/fence), or found at a QSD start that its peer is at a
 * newer epoch. Lifted by an import that passes the current epoch, or by starting a mirror from
 * the volume with a higher epoch.
 */
export const fence = z.object({
  mirror: mirrorName,
  volume: resourceName,
  epoch,
  at: isoTime,
  /** "held: stale epoch 1 < 2 (peer host-b)", "fenced: mirror m1 at epoch 2", … */
  reason: z.string(),
});
export type Fence = z.infer<typeof fence>;

/** Lu.held: set while the LU's volume is fenced (the LU stays in Standby). */
export const luHold = z.object({ mirror: mirrorName, epoch, reason: z.string(), since: isoTime });
export type LuHold = z.infer<typeof luHold>;

/**
 * POST /v1/mirrors/:name/fence → 200 FenceResult. On the old source: records the fence first
 * (so a crash from here on comes back held), then moves an Active LU to Standby (export dropped
 * hard) and stops the mirror job (drained when that is quick, else abandoned). `volume` is needed
 * only when the mirror no longer runs here (DELETE /v1/mirrors/:name came first). Idempotent;
 * 409 stale_epoch for an epoch below the recorded one, 409 wrong_state on the mirror's target.
 */
export const fenceMirrorRequest = z.strictObject({ epoch, volume: resourceName.optional() });

export const fenceMirrorResult = z.object({
  fence,
  /** GUID of the LU this call moved to Standby (null: none was Active). */
  luStandby: z.string().nullable(),
  /** The mirror job this call stopped (null: none ran here). */
  stopped: stopMirrorResult.nullable(),
});
export type FenceMirrorResult = z.infer<typeof fenceMirrorResult>;

/** GET /v1/replication answers this (ReplicationStatus plus the fences of this host). */
export const replicationStatusWithFences = replicationStatus.extend({ fences: z.array(fence).default([]) });
export type ReplicationStatusWithFences = z.infer<typeof replicationStatusWithFences>;

// ---- promotion ---------------------------------------------------------------------------------

/** Volume.promotion: the overlay every write since promotion goes to; the base below is frozen. */
export const volumePromotion = z.object({
  mirror: mirrorName,
  epoch,
  at: isoTime,
  overlay: z.object({ file: z.string(), allocatedBytes: z.number().int().nonnegative() }),
  /** The read-only export of the frozen base, while one exists (failback). */
  baseExport: z.object({ exportName: z.string(), uri: z.string(), createdAt: isoTime }).nullable(),
});
export type VolumePromotion = z.infer<typeof volumePromotion>;

/**
 * POST /v1/volumes/:name/promote → 200 Volume (with `promotion`). The volume must have been
 * fenced as a target first (DELETE /v1/replication/exports/:mirror?epoch=N+1; 409 wrong_state
 * while the replication export exists); 409 in_use on a mirror's source; 409 stale_epoch for
 * an old epoch. Promoting again for the same mirror returns the existing promotion.
 */
export const promoteVolumeRequest = z.strictObject({ mirror: mirrorName, epoch });

// ---- failback ----------------------------------------------------------------------------------

/**
 * POST /v1/volumes/:name/base-export → 201 BaseExport (200 when it existed). A read-only NBD
 * export of the frozen base of a promoted volume; 409 wrong_state without a promotion or for
 * another mirror. DELETE /v1/volumes/:name/base-export → 204 (also when there was none).
 */
export const baseExportRequest = z.strictObject({ mirror: mirrorName });

export const baseExport = z.object({
  volume: resourceName,
  mirror: mirrorName,
  exportName: z.string(),
  uri: z.string(),
  host: z.string(),
  port: z.number().int(),
  sizeBytes: z.number().int().positive(),
  createdAt: isoTime,
});
export type BaseExport = z.infer<typeof baseExport>;

const aligned = (what: string) =>
  z
    .number()
    .int()
    .nonnegative()
    .refine((n) => n % 512 === 0, `${what} must be a multiple of 512`);

export const byteRange = z.strictObject({
  offset: aligned("offset"),
  length: aligned("length").refine((n) => n > 0, "length must be greater than 0"),
});
export type ByteRange = z.infer<typeof byteRange>;

/** nbd://HOST:PORT/EXPORT (IPv6 in brackets); no TLS, no unix sockets. */
export const nbdUriInput = z
  .string()
  .max(300)
  .regex(/^nbd:\/\/(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9._-]+):[0-9]{1,5}\/[A-Za-z0-9._%-]{1,200}$/, "must be nbd://HOST:PORT/EXPORT");

/**
 * POST /v1/volumes/:name/copy-ranges → 200 CopyRangesResult. Reads each range from `source`
 * (the peer's base export) and writes it into this volume through this host's QSD, then flushes.
 * For a failback target only: 409 wrong_state while the volume's LU is Active or nothing ties
 * it to a mirror (no replication export, no fence, no `mirror` given), 409 in_use on a mirror's
 * source, 409 stale_epoch for an old epoch, 409 size_mismatch when the source's size differs,
 * 400 for ranges past the end. Progress: live events `volume.copy_progress` (CopyProgress);
 * `volume.ranges_copied` when done. The body may be up to 4 MiB (many ranges).
 */
export const copyRangesRequest = z.strictObject({
  source: z.strictObject({ uri: nbdUriInput }),
  ranges: z.array(byteRange).min(1).max(100_000),
  epoch,
  mirror: mirrorName.optional(),
});

export const copyRangesResult = z.object({
  volume: resourceName,
  mirror: mirrorName,
  epoch,
  ranges: z.number().int().nonnegative(),
  bytesCopied: z.number().int().nonnegative(),
  elapsedMs: z.number().nonnegative(),
  rateBytesPerSec: z.number().nonnegative(),
});
export type CopyRangesResult = z.infer<typeof copyRangesResult>;

export const copyProgress = z.object({
  volume: resourceName,
  bytesCopied: z.number().int().nonnegative(),
  bytesTotal: z.number().int().nonnegative(),
  rateBytesPerSec: z.number().nonnegative(),
  at: isoTime,
});
export type CopyProgress = z.infer<typeof copyProgress>;

// ---- merge ---------------------------------------------------------------------------------------

/**
 * POST /v1/volumes/:name/merge-overlay (empty body or {}) → 200 MergeOverlayResult. Client export
 * away (hard), the mirror drained and cancelled (no pivot), block-commit of the overlay into the
 * base, the mirror restarted (sync=none, named filter), the export back on the filter. A volume
 * without a promotion answers merged:false (a retry after success is not an error); 409
 * wrong_state while the base is exported or the mirror is not ready.
 */
export const mergeOverlayResult = z.object({
  volume: resourceName,
  merged: z.boolean(),
  detail: z.string(),
  /** Bytes the commit job moved from the overlay into the base. */
  committedBytes: z.number().int().nonnegative(),
  /** From dropping the client export to adding it back (0 when no LU was Active). */
  clientOutageMs: z.number().nonnegative(),
  mirrorRestarted: z.boolean(),
});
export type MergeOverlayResult = z.infer<typeof mergeOverlayResult>;

// ---- peer reachability (the target's half of the automatic-failover quorum) -----------------

const probeHost = z
  .string()
  .regex(/^[A-Za-z0-9.:\-[\]]{1,253}$/, "a host name or an IP address")
  .describe("host name or IP address");

/**
 * POST /v1/peer/probe {nbd?} → 200 PeerProbeResult. Can this host reach its ALUA peer's agent
 * (GET /v1/replication, bounded by a short timeout) and, when given, the peer's NBD server (an
 * NBD greeting, no export opened)? The console asks the target of a mirror before an automatic
 * failover: the source must be lost from here too, not only from the console.
 */
export const peerProbeRequest = z.strictObject({
  nbd: z.strictObject({ host: probeHost, port: z.number().int().min(1).max(65_535) }).optional(),
});
export type PeerProbeRequest = z.infer<typeof peerProbeRequest>;

export const reachability = z.object({ reachable: z.boolean(), ms: z.number().nonnegative(), why: z.string().nullable() });
export type Reachability = z.infer<typeof reachability>;

export const peerProbeResult = z.object({
  /** null: no ALUA peer is configured on this host. */
  peer: z.object({ name: resourceName, agent: reachability }).nullable(),
  nbd: reachability.nullable(),
});
export type PeerProbeResult = z.infer<typeof peerProbeResult>;
