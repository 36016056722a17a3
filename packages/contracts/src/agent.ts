// The host agent's HTTP API (version 1): the only thing the console and the agent share.
// Every request carries `Authorization: Bearer <token>`; errors are `{ error: { code, message } }`.
import { z } from "zod";

export const AGENT_API_VERSION = 1;

/** Names that may reach the filesystem or QSD: lower case, no separators, bounded length. */
export const resourceName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, "must be 1-63 characters: a-z, 0-9, '.', '_' or '-', starting with a letter or digit")
  .refine((s) => !s.includes(".."), "must not contain '..'");

export const hostName = resourceName;

export const agentError = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});
export type AgentError = z.infer<typeof agentError>;

export const poolInfo = z.object({
  name: resourceName,
  capacityBytes: z.number().int().nonnegative(),
  freeBytes: z.number().int().nonnegative(),
});
export type PoolInfo = z.infer<typeof poolInfo>;

export const qsdInfo = z.object({
  running: z.boolean(),
  pid: z.number().int().nullable(),
  version: z.string().nullable(),
  restarts: z.number().int().nonnegative(),
  startedAt: z.string().nullable(),
});

export const agentHealth = z.object({
  status: z.enum(["ok", "degraded"]),
  reason: z.string().nullable(),
  hostName: hostName,
  agentVersion: z.string(),
  apiVersion: z.literal(AGENT_API_VERSION),
  qsd: qsdInfo,
  nbd: z.object({ host: z.string(), port: z.number().int() }),
  pools: z.array(poolInfo),
  time: z.string(),
});
export type AgentHealth = z.infer<typeof agentHealth>;

/** Events on GET /v1/events (server-sent events, `data:` is one JSON object). */
export const agentEvent = z.object({
  seq: z.number().int().nonnegative(),
  time: z.string(),
  // Known types: hello, qsd.started, qsd.exited, qsd.restarted, qsd.rebuilt, qsd.event,
  // volume.*, snapshot.*, lu.created, lu.deleted, lu.state, alua.changed, mirror.*,
  // replication.*; failover: mirror.fenced, volume.promoted, volume.base_exported,
  // volume.base_unexported, volume.copy_progress (live only), volume.ranges_copied,
  // volume.overlay_merged. Consumers ignore types they do not know, so agents can add new ones.
  type: z.string().regex(/^[a-z]+(\.[a-z_]+)*$/),
  data: z.record(z.string(), z.unknown()).default({}),
});
export type AgentEvent = z.infer<typeof agentEvent>;

export const eventsQuery = z.object({
  since: z.coerce.number().int().nonnegative().optional(),
});
