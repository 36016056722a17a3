// Everything that goes over the realtime bus and socket.io: small, typed, validated deltas.
import { z } from "zod";
import { hostStatus } from "@/server/domain/host/host.machine";

export const hostStatusEvent = z.object({
  type: z.literal("host.status"),
  hostId: z.string(),
  name: z.string(),
  status: hostStatus,
  reason: z.string().nullable(),
  at: z.string(),
});

export const hostFactsEvent = z.object({
  type: z.literal("host.facts"),
  hostId: z.string(),
  lastSeenAt: z.string().nullable(),
  qsdVersion: z.string().nullable(),
  capacityBytes: z.string(),
  freeBytes: z.string(),
});

export const operationQueuedEvent = z.object({
  type: z.literal("operation.queued"),
  operationId: z.string(),
  kind: z.string(),
  subjectType: z.string(),
  subjectId: z.string(),
});

export const operationFinishedEvent = z.object({
  type: z.literal("operation.finished"),
  operationId: z.string(),
  kind: z.string(),
  subjectType: z.string(),
  subjectId: z.string(),
  status: z.enum(["succeeded", "failed", "cancelled"]),
  error: z.string().nullable(),
  errorCode: z.string().nullable(),
});

export const operationStepEvent = z.object({
  type: z.literal("operation.step"),
  operationId: z.string(),
  subjectType: z.string(),
  subjectId: z.string(),
  step: z.string(),
  status: z.string(),
  bytesDone: z.number().nullable(),
  bytesTotal: z.number().nullable(),
  error: z.string().nullable(),
});

/** Something about a host's volumes, snapshots or LUs changed: refetch those lists. */
export const storageChangedEvent = z.object({
  type: z.literal("storage.changed"),
  hostId: z.string(),
  what: z.array(z.enum(["volumes", "snapshots", "lus", "drift", "alua"])),
});

/** An LU's access state changed on a host (with the code shown in the UI). */
export const luStateEvent = z.object({
  type: z.literal("lu.state"),
  hostId: z.string(),
  guid: z.string(),
  from: z.string(),
  to: z.string(),
  at: z.string(),
});

export const mirrorStateEvent = z.object({
  type: z.literal("mirror.state"),
  mirrorId: z.string(),
  name: z.string(),
  from: z.string(),
  to: z.string(),
  reason: z.string().nullable(),
  at: z.string(),
});

/** Settings or membership changed: refetch the mirror. */
export const mirrorChangedEvent = z.object({ type: z.literal("mirror.changed"), mirrorId: z.string() });

/** A progress sample: small and frequent (≥ 4 Hz while copying), patched into the cache. */
export const mirrorProgressEvent = z.object({
  type: z.literal("mirror.progress"),
  mirrorId: z.string(),
  phase: z.string(),
  doneBytes: z.number(),
  totalBytes: z.number(),
  lagBytes: z.number(),
  lagSeconds: z.number().nullable(),
  rateBytesPerSec: z.number(),
  etaSeconds: z.number().nullable(),
  converging: z.boolean(),
  /** When the agent sampled the engine (for end-to-end latency). */
  sampledAt: z.string(),
  /** "stream": forwarded from the agent's event stream; "poll": from the monitor's own poll. */
  via: z.enum(["stream", "poll"]).optional(),
});

export const realtimeEvent = z.discriminatedUnion("type", [
  mirrorStateEvent,
  mirrorChangedEvent,
  mirrorProgressEvent,
  hostStatusEvent,
  hostFactsEvent,
  operationQueuedEvent,
  operationFinishedEvent,
  operationStepEvent,
  storageChangedEvent,
  luStateEvent,
]);
export type RealtimeEvent = z.infer<typeof realtimeEvent>;

/** The socket.io rooms an event belongs in. */
export function roomsFor(e: RealtimeEvent): string[] {
  switch (e.type) {
    case "host.status":
    case "host.facts":
    case "storage.changed":
    case "lu.state":
      return ["dashboard", `host:${e.hostId}`];
    case "mirror.state":
    case "mirror.changed":
    case "mirror.progress":
      return ["dashboard", `mirror:${e.mirrorId}`];
    case "operation.queued":
    case "operation.finished":
    case "operation.step":
      return ["dashboard", `operation:${e.operationId}`];
  }
}

export const roomName = z.string().regex(/^(dashboard|(host|mirror|operation):[A-Za-z0-9_-]{1,64})$/, "unknown room");
