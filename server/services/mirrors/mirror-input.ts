import { z } from "zod";
import { resourceName } from "@tandem/contracts/agent";
import { sizeInput } from "@tandem/contracts/storage";
import { mirrorMode } from "@/server/domain/mirror/mirror.machine";
import { volumeRef } from "@/server/services/storage/resolve";

export const mirrorNameInput = z.object({ name: resourceName });

export const createMirrorInput = z.object({
  name: resourceName,
  source: volumeRef,
  target: volumeRef,
  createTarget: z.boolean().default(false),
  mode: mirrorMode.default("sync"),
  /** Bytes per second for the initial copy, e.g. "100M"; 0 or absent = unlimited. */
  speedLimit: z.union([sizeInput, z.literal(0)]).optional(),
  rpoTargetSeconds: z.number().int().min(0).max(86_400 * 7).nullable().optional(),
  description: z.string().trim().max(500).optional(),
});

export const modifyMirrorInput = z.object({
  name: resourceName,
  mode: mirrorMode.optional(),
  speedLimit: z.union([sizeInput, z.literal(0)]).optional(),
  rpoTargetSeconds: z.number().int().min(0).max(86_400 * 7).nullable().optional(),
  description: z.string().trim().max(500).nullable().optional(),
});

export const deleteMirrorInput = z.object({ name: resourceName, deleteTarget: z.boolean().default(false) });
