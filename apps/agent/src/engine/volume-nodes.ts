// Which QSD node of a volume to use. A promoted volume is a chain: its own node (the frozen
// base) under an overlay node that takes every write since promotion. Clients, replication
// exports, mirror jobs and checksums work on the top; the base is read only (failback).
import type { VolumeRecord } from "../state/state-schema";

export const topNode = (v: VolumeRecord): string => v.promotion?.overlay.nodeId ?? v.nodeId;

/** Export id and NBD name of a promoted volume's frozen base (read only, for failback). */
export const baseExportId = (mirror: string) => `base-${mirror}`;

/** The overlay's file: never ends in .qcow2, so a pool scan never takes it for a volume. */
export const overlayFileName = (volumeFile: string) => `${volumeFile}.overlay`;
