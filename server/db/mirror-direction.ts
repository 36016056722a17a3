import type { Db } from "./client";

/**
 * Swaps a mirror's direction in one transaction: the mirror keeps its id, name and history;
 * source and target trade places, the endpoint roles follow, and the epoch becomes `epoch`.
 */
export async function swapDirection(db: Db, mirrorId: string, expectSourceVolumeId: string, epoch: number) {
  return db.$transaction(async (tx) => {
    const m = await tx.mirror.findUniqueOrThrow({ where: { id: mirrorId } });
    if (m.sourceVolumeId !== expectSourceVolumeId) return false; // already swapped by an earlier attempt
    await tx.mirror.update({ where: { id: mirrorId }, data: { sourceVolumeId: m.targetVolumeId, targetVolumeId: m.sourceVolumeId, epoch } });
    await tx.mirrorEndpoint.update({ where: { volumeId: m.sourceVolumeId }, data: { role: "swap" } });
    await tx.mirrorEndpoint.update({ where: { volumeId: m.targetVolumeId }, data: { role: "source" } });
    await tx.mirrorEndpoint.update({ where: { volumeId: m.sourceVolumeId }, data: { role: "target" } });
    return true;
  });
}
