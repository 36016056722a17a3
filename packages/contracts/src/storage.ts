// Agent API v1, storage part: pools, volumes, snapshots, LUs and ALUA.
// Sizes travel as integers of bytes; the console and CLI parse human sizes with `parseSize`.
import { z } from "zod";
import { resourceName } from "./agent";
import { luHold, volumePromotion } from "./failover";
import { epoch } from "./replication";

// ---- sizes ---------------------------------------------------------------------------------

const UNIT: Record<string, number> = { "": 1, B: 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40, P: 2 ** 50 };
export const MAX_VOLUME_BYTES = 2 ** 50; // 1 PiB: far beyond a pool here, but a clear bound

/**
 * Parses "512M", "10G", "1.5T", "4096" (bytes), "10GiB", "10GB" (both binary, as storage tools
 * mean them). Strict: no spaces inside, no negative or zero sizes, at most 1 PiB, and a whole
 * multiple of 512 bytes (the block size every NBD client expects).
 */
export function parseSize(input: string | number): { ok: true; bytes: number } | { ok: false; error: string } {
  const text = String(input).trim();
  const m = /^(\d+(?:\.\d+)?)([KMGTP]?)(?:i?B)?$/i.exec(text);
  if (!m) return { ok: false, error: `"${text}" is not a size: use a number with an optional unit K, M, G, T (e.g. 512M, 10G)` };
  const unit = UNIT[m[2]!.toUpperCase()]!;
  const bytes = Math.round(Number(m[1]) * unit);
  if (!Number.isFinite(bytes) || bytes > MAX_VOLUME_BYTES) return { ok: false, error: `size ${text} is over the 1P limit` };
  if (bytes <= 0) return { ok: false, error: `size must be greater than 0` };
  if (bytes % 512 !== 0) return { ok: false, error: `size must be a multiple of 512 bytes (got ${bytes})` };
  return { ok: true, bytes };
}

export const sizeInput = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const r = parseSize(v);
  if (!r.ok) {
    ctx.addIssue({ code: "custom", message: r.error });
    return z.NEVER;
  }
  return r.bytes;
});

// ---- pools ---------------------------------------------------------------------------------

/** GET /v1/pools → PoolDetail[]; GET /v1/pools/:name → PoolDetail. */
export const poolDetail = z.object({
  name: resourceName,
  capacityBytes: z.number().int().nonnegative(),
  freeBytes: z.number().int().nonnegative(),
  /** Sum of the virtual sizes of the pool's volumes. */
  provisionedBytes: z.number().int().nonnegative(),
  overcommitRatio: z.number().positive(),
  /** capacity × ratio − provisioned: the largest volume that can still be created (negative when over). */
  availableToProvisionBytes: z.number().int(),
});
export type PoolDetail = z.infer<typeof poolDetail>;

// ---- volumes -------------------------------------------------------------------------------

/** GET /v1/volumes → Volume[]; GET /v1/volumes/:name, POST /v1/volumes (201), POST …/resize → Volume. */
export const volume = z.object({
  name: resourceName,
  pool: resourceName,
  sizeBytes: z.number().int().positive(),
  /** Bytes the image file really occupies (data, metadata and what snapshots keep). */
  allocatedBytes: z.number().int().nonnegative(),
  format: z.literal("qcow2"),
  createdAt: z.string(),
  /** What holds the volume (an LU by GUID, later a mirror by name); empty when free. */
  usedBy: z.array(z.object({ kind: z.enum(["lu", "mirror"]), id: z.string() })),
  /** Set while the volume is promoted (failover): writes go to an overlay, the base is frozen. */
  promotion: volumePromotion.nullable().optional(),
});
export type Volume = z.infer<typeof volume>;

// Request bodies are strict: an unknown field is refused (400), never silently dropped.
/** `pool` defaults to the host's first configured pool. */
export const createVolumeRequest = z.strictObject({ name: resourceName, pool: resourceName.optional(), size: sizeInput });
/** Grow only; the same size is a no-op; a smaller size is refused (409 shrink_refused). */
export const resizeVolumeRequest = z.strictObject({ size: sizeInput });

// ---- snapshots -----------------------------------------------------------------------------

/** GET /v1/volumes/:name/snapshots → Snapshot[] (oldest first). */
export const snapshot = z.object({
  name: resourceName,
  volume: resourceName,
  createdAt: z.string(),
  /** Virtual size of the volume when the snapshot was taken; a revert brings the volume back to it. */
  sizeBytes: z.number().int().nonnegative(),
});
export type Snapshot = z.infer<typeof snapshot>;

export const createSnapshotRequest = z.strictObject({ name: resourceName });
/** `pool` defaults to the pool of the snapshot's volume. */
export const cloneSnapshotRequest = z.strictObject({ name: resourceName, pool: resourceName.optional() });

// ---- LUs and ALUA ----------------------------------------------------------------------------

/** NAA-6 style: 32 hex digits, first digit 6. Stored and shown in lower case. */
export const guid = z
  .string()
  .transform((s) => s.toLowerCase())
  .pipe(z.string().regex(/^6[0-9a-f]{31}$/, "must be 32 hex digits starting with 6 (NAA-6)"));

export const ACCESS_STATES = { active: 0, transition_to_active: 1, standby: 2, transition_to_standby: 3 } as const;
export const accessStateName = z.enum(["active", "transition_to_active", "standby", "transition_to_standby"]);
export type AccessStateName = z.infer<typeof accessStateName>;
export const accessStateCode = z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]);

/** GET /v1/lus → Lu[]; GET /v1/lus/:guid, POST /v1/lus (201), POST …/standby, POST …/import → Lu. */
export const lu = z.object({
  guid,
  alias: z.string().nullable(),
  volume: resourceName,
  /** NBD export name of the client export (the GUID); the URI is only set while the LU is Active. */
  exportName: z.string(),
  uri: z.string().nullable(),
  state: accessStateName,
  stateCode: accessStateCode,
  stateChangedAt: z.string(),
  /** Set while the LU is held in Standby (its volume is fenced or was found at a stale epoch). */
  held: luHold.nullable().optional(),
  /**
   * When the client export was last added / removed on this host (ms precision). The console
   * measures a switch's client outage as the new side's exportAddedAt − the old side's exportRemovedAt.
   */
  exportAddedAt: z.string().nullable().optional(),
  exportRemovedAt: z.string().nullable().optional(),
});
export type Lu = z.infer<typeof lu>;

export const aliasInput = z
  .string()
  .trim()
  .max(64, "must be at most 64 characters")
  .regex(/^[\w .:@+-]*$/, "may contain letters, digits, spaces and . : @ + - _");

export const createLuRequest = z.strictObject({
  volume: resourceName,
  guid: guid.optional(),
  alias: aliasInput.optional(),
  /** A mirrored LU's copy on the target host starts in Standby. */
  state: z.enum(["active", "standby"]).default("active"),
});

/** Why an access state changes; recorded with the transition. Printable, one line. */
export const transitionReason = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(200, "must be at most 200 characters")
  .regex(/^[^\x00-\x1f\x7f]*$/, "must be one line of printable text");

/** POST /v1/lus/:guid/standby; the body may be empty. */
export const standbyLuRequest = z.strictObject({ reason: transitionReason.optional() });

/**
 * POST /v1/lus/:guid/import; the body may be empty. `force` makes the LU Active even when the
 * peer cannot be told to go to Standby (unreachable or refusing): the admin takes the risk of
 * two Active copies.
 */
export const importLuRequest = z.strictObject({
  force: z.boolean().default(false),
  reason: transitionReason.optional(),
  /**
   * The mirror's current epoch, as the console knows it. Required to import a held LU (409
   * stale_epoch without it or when it is below the recorded one); the import then lifts the hold.
   */
  epoch: epoch.optional(),
});

const peerUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\/[^/?#]+\/?$/i.test(u), "must be http(s)://HOST:PORT of the peer agent, without a path");

/** GET /v1/alua and the answer to PUT /v1/alua. The peer's token is never returned. */
export const aluaConfig = z.object({
  enabled: z.boolean(),
  nodeId: z.union([z.literal(0), z.literal(1)]),
  peer: z.object({ name: resourceName, url: z.string() }).nullable(),
});
export type AluaConfig = z.infer<typeof aluaConfig>;

/** PUT /v1/alua: replaces the whole ALUA configuration. */
export const setAluaRequest = z.strictObject({
  enabled: z.boolean(),
  nodeId: z.union([z.literal(0), z.literal(1)]),
  /** The peer agent this one tells when an LU is imported here. Token is write-only. */
  peer: z
    .strictObject({
      name: resourceName,
      url: peerUrl,
      token: z
        .string()
        .min(16, "must be at least 16 characters")
        .regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces"),
    })
    .nullable(),
});

/** One recorded ALUA transition of an LU on this host. GET /v1/lus/:guid/transitions → LuTransition[] (oldest first, last 100). */
export const luTransition = z.object({
  guid,
  from: accessStateName,
  to: accessStateName,
  at: z.string(),
  reason: z.string(),
});
export type LuTransition = z.infer<typeof luTransition>;

// ---- rebuild after a QSD start ---------------------------------------------------------------

/** What the agent put back into a freshly started QSD from its state file. */
export const rebuildReport = z.object({
  startedAt: z.string(),
  finishedAt: z.string(),
  qsdPid: z.number().int().nullable(),
  /** Volumes opened in QSD, and client exports added for Active LUs. */
  volumes: z.number().int().nonnegative(),
  exports: z.number().int().nonnegative(),
  /** Transitions made on the way (an LU found in a transitional state ends in Standby). */
  transitions: z.array(luTransition),
  /** Differences between the state file and the images that were settled (snapshots, sizes). */
  adjustments: z.array(z.string()),
  /** What could not be rebuilt; each names the volume or LU. */
  failures: z.array(z.string()),
  /** *.qcow2 files in pool directories that the agent does not manage (left alone). */
  unmanagedFiles: z.array(z.string()),
});
export type RebuildReport = z.infer<typeof rebuildReport>;

/** GET /v1/state/rebuild. `inProgress` is true while a rebuild runs; `last` is null before the first. */
export const rebuildStatus = z.object({ inProgress: z.boolean(), last: rebuildReport.nullable() });
export type RebuildStatus = z.infer<typeof rebuildStatus>;

// ---- errors --------------------------------------------------------------------------------

/**
 * `error.code` values of the storage routes: 400 bad_request, 401 unauthorized, 404 not_found,
 * 405 method_not_allowed, 409 exists | in_use | overcommit | shrink_refused | alua_disabled |
 * wrong_state | peer_refused | stale_epoch, 413 too_large, 415 unsupported_media_type, 500 engine_error |
 * internal, 503 peer_unreachable | qsd_unavailable.
 */
export const STORAGE_CONFLICT_CODES = [
  "exists",
  "in_use",
  "overcommit",
  "shrink_refused",
  "alua_disabled",
  "wrong_state",
  "peer_refused",
] as const;
