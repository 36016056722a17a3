import { z } from "zod";
import { resourceName } from "@tandem/contracts/agent";
import { sizeInput } from "@tandem/contracts/storage";
import { mirrorMode } from "@/server/domain/mirror/mirror.machine";
import { volumeRef } from "@/server/services/storage/resolve";

export const mirrorNameInput = z.object({ name: resourceName });

/**
 * Automatic failover after this many seconds without the source, seen from both the console and
 * the target host; null = off (the default: a person decides). Under 5 s a short network blip
 * would fail over; over an hour nobody would wait for it.
 */
const autoFailoverAfterSeconds = z
  .number()
  .int("whole seconds")
  .min(5, "at least 5 seconds: shorter, a network blip would fail the mirror over")
  .max(3600, "at most 3600 seconds (one hour)")
  .nullable()
  .optional();

export const createMirrorInput = z.object({
  name: resourceName,
  source: volumeRef,
  target: volumeRef,
  createTarget: z.boolean().default(false),
  mode: mirrorMode.default("sync"),
  /** Bytes per second for the initial copy, e.g. "100M"; 0 or absent = unlimited. */
  speedLimit: z.union([sizeInput, z.literal(0)]).optional(),
  rpoTargetSeconds: z.number().int().min(0).max(86_400 * 7).nullable().optional(),
  autoFailoverAfterSeconds,
  description: z.string().trim().max(500).optional(),
});

export const modifyMirrorInput = z.object({
  name: resourceName,
  mode: mirrorMode.optional(),
  speedLimit: z.union([sizeInput, z.literal(0)]).optional(),
  rpoTargetSeconds: z.number().int().min(0).max(86_400 * 7).nullable().optional(),
  autoFailoverAfterSeconds,
  description: z.string().trim().max(500).nullable().optional(),
});

export const deleteMirrorInput = z.object({ name: resourceName, deleteTarget: z.boolean().default(false) });
