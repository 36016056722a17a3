// Failback, on the promoted side: a read-only NBD export of the frozen base (the volume's own
// node under the overlay). The old source compares itself with it and copies the differing
// ranges from it. Recorded in the state file, so a QSD restart brings it back.
import type { BaseExport } from "@tandem/contracts/failover";
import { updateVolume } from "../state/state-edits";
import type { VolumeRecord } from "../state/state-schema";
import { nodeImage } from "./block-graph";
import { nbdExportUri } from "./dto";
import { requireVolume } from "./lookups";
import { addNbdExport, listExports, removeNbdExport } from "./nbd-exports";
import { runOperation } from "./operation";
import { StorageError } from "./storage-error";
import type { StorageContext } from "./storage-context";
import { baseExportId } from "./volume-nodes";

function view(ctx: StorageContext, v: VolumeRecord, sizeBytes: number): BaseExport {
  const p = v.promotion!;
  const exportName = baseExportId(p.mirror);
  return {
    volume: v.name,
    mirror: p.mirror,
    exportName,
    uri: nbdExportUri(ctx, exportName),
    host: ctx.nbd.host,
    port: ctx.nbd.port,
    sizeBytes,
    createdAt: p.baseExport!.createdAt,
  };
}

export function createBaseExport(ctx: StorageContext, name: string, mirror: string): Promise<{ view: BaseExport; created: boolean }> {
  return runOperation(ctx, "export the frozen base", async (op) => {
    const volume = requireVolume(ctx.store.state, name);
    const p = volume.promotion;
    if (!p) throw new StorageError("wrong_state", `volume ${name} is not promoted: there is no frozen base to export`);
    if (p.mirror !== mirror) throw new StorageError("wrong_state", `volume ${name} is promoted for mirror ${p.mirror}, not ${mirror}`);
    const qmp = ctx.qsd.session();
    const id = baseExportId(mirror);
    const exported = (await listExports(qmp)).has(id);
    if (!exported) {
      await addNbdExport(qmp, { id, nodeId: volume.nodeId, name: id, writable: false });
      op.onUndo("remove the base export", () => removeNbdExport(qmp, id));
    }
    const size = (await nodeImage(qmp, volume.nodeId)).virtualSize;
    if (p.baseExport) return { view: view(ctx, volume, size), created: !exported };
    const next = updateVolume(ctx.store.state, name, (v) => ({ ...v, promotion: { ...p, baseExport: { createdAt: new Date().toISOString() } } }));
    await op.commit(next, [["volume.base_exported", { name, mirror, exportName: id }]]);
    ctx.log.info("frozen base exported (read only)", { name, mirror, exportName: id });
    return { view: view(ctx, requireVolume(ctx.store.state, name), size), created: true };
  });
}

/** Idempotent: also when there is none (or no promotion any more). */
export function deleteBaseExport(ctx: StorageContext, name: string): Promise<void> {
  return runOperation(ctx, "remove the base export", async (op) => {
    const volume = requireVolume(ctx.store.state, name);
    const p = volume.promotion;
    if (!p) return;
    await removeNbdExport(ctx.qsd.session(), baseExportId(p.mirror));
    if (!p.baseExport) return;
    const next = updateVolume(ctx.store.state, name, (v) => ({ ...v, promotion: { ...p, baseExport: null } }));
    await op.commit(next, [["volume.base_unexported", { name, mirror: p.mirror }]]);
    ctx.log.info("base export removed", { name, mirror: p.mirror });
  });
}
