// After every QSD start: reopen every volume and export every Active LU from the state file.
import { readdir } from "node:fs/promises";
import type { RebuildReport } from "@tandem/contracts/storage";
import { updateVolume } from "../state/state-edits";
import type { AgentState, VolumeRecord } from "../state/state-schema";
import { addClientExport, openVolumeNode, queryVolumeNodes, type NodeImage } from "./block-graph";
import { isTransitional } from "./lu-state";
import { restartJob } from "./mirror-job";
import { addNbdExport } from "./nbd-exports";
import { openOverlayNode } from "./overlay-qmp";
import { toStandby, type Draft } from "./rebuild-draft";
import { settleHolds } from "./rebuild-holds";
import { baseExportId, topNode } from "./volume-nodes";
import { replExportId } from "./replication-names";
import type { QsdHandle } from "./qsd-access";
import { errorText } from "./storage-error";
import type { StorageContext } from "./storage-context";

/** Settles differences between the state file and an image (left by a crash between the two). */
function settleImage(draft: Draft, v: VolumeRecord, image: NodeImage): void {
  const known = new Set(v.snapshots.map((s) => s.name));
  const inImage = new Set(image.snapshots.map((s) => s.name));
  const kept = v.snapshots.filter((s) => inImage.has(s.name));
  const adopted = image.snapshots
    .filter((s) => !known.has(s.name))
    .map((s) => ({ name: s.name, createdAt: s.createdAt, sizeBytes: image.virtualSize }));
  for (const s of v.snapshots.filter((x) => !inImage.has(x.name))) {
    draft.adjustments.push(`volume ${v.name}: snapshot ${s.name} is not in the image any more; forgotten`);
  }
  for (const s of adopted) draft.adjustments.push(`volume ${v.name}: snapshot ${s.name} found in the image; adopted`);
  if (image.virtualSize !== v.sizeBytes) {
    draft.adjustments.push(`volume ${v.name}: size ${v.sizeBytes} in the state file, ${image.virtualSize} in the image; the image wins`);
  }
  if (kept.length !== v.snapshots.length || adopted.length > 0 || image.virtualSize !== v.sizeBytes) {
    draft.state = updateVolume(draft.state, v.name, (x) => ({ ...x, sizeBytes: image.virtualSize, snapshots: [...kept, ...adopted] }));
  }
}

async function unmanagedFiles(ctx: StorageContext, state: AgentState): Promise<string[]> {
  const found: string[] = [];
  for (const pool of ctx.pools.names()) {
    const managed = new Set(state.volumes.filter((v) => v.pool === pool).map((v) => v.file));
    const files = await readdir(ctx.pools.dir(pool)).catch(() => []);
    for (const f of files) if (f.endsWith(".qcow2") && !managed.has(f)) found.push(`${pool}/${f}`);
  }
  return found;
}

/**
 * Queued like any operation, so nothing runs against the half-built graph. If QSD dies during
 * the rebuild nothing is saved: the next start rebuilds again from the same file.
 */
export function rebuildGraph(ctx: StorageContext, qsd: QsdHandle, generation: number): Promise<void> {
  return ctx.queue.run(async () => {
    if (qsd.hasExited) return;
    ctx.rebuild.begin();
    const startedAt = ctx.now();
    const qmp = qsd.qmp;
    const draft: Draft = { state: ctx.store.state, transitions: [], adjustments: [], failures: [] };
    let report: RebuildReport | null = null;
    try {
      const opened = new Set<string>();
      for (const v of draft.state.volumes) {
        try {
          await openVolumeNode(qmp, v.nodeId, ctx.pools.imagePath(v.pool, v.file));
          opened.add(v.name);
        } catch (err) {
          draft.failures.push(`volume ${v.name}: ${errorText(err)}`);
        }
      }
      // A promoted volume is its image (the frozen base) under its overlay. Without the overlay
      // the volume would serve what it held at promotion: it is not opened at all then.
      for (const v of draft.state.volumes) {
        if (!v.promotion || !opened.has(v.name)) continue;
        try {
          await openOverlayNode(qmp, v.promotion.overlay.nodeId, ctx.pools.imagePath(v.pool, v.promotion.overlay.file), v.nodeId);
          draft.adjustments.push(`volume ${v.name}: overlay ${v.promotion.overlay.file} reopened on the frozen base (promoted for mirror ${v.promotion.mirror}, epoch ${v.promotion.epoch})`);
        } catch (err) {
          opened.delete(v.name);
          draft.failures.push(`volume ${v.name}: its promotion overlay could not be opened (${errorText(err)}); the volume is not served`);
        }
      }
      const images = await queryVolumeNodes(qmp);
      for (const v of draft.state.volumes) {
        const image = images.get(v.nodeId);
        if (opened.has(v.name) && image) settleImage(draft, v, image);
      }

      // Before anything is exported: a stale source never serves (asks the peer, short timeout).
      await settleHolds(ctx, draft);

      // Replication exports before client exports: the source may be waiting to write.
      for (const e of draft.state.replicationExports) {
        const v = draft.state.volumes.find((x) => x.name === e.volume);
        const lu = draft.state.lus.find((l) => l.volume === e.volume);
        if (!v || !opened.has(e.volume)) {
          draft.failures.push(`replication export of mirror ${e.mirror}: volume ${e.volume} could not be opened`);
        } else if (lu && lu.state === "active") {
          draft.failures.push(`replication export of mirror ${e.mirror}: LU ${lu.guid} of volume ${e.volume} is active here; not exported`);
        } else {
          try {
            await addNbdExport(qmp, { id: replExportId(e.mirror), nodeId: topNode(v), name: replExportId(e.mirror), writable: true });
            draft.adjustments.push(`replication export ${replExportId(e.mirror)} of volume ${e.volume} restored (epoch ${e.epoch})`);
          } catch (err) {
            draft.failures.push(`replication export of mirror ${e.mirror}: ${errorText(err)}`);
          }
        }
      }

      for (const v of draft.state.volumes) {
        if (!v.promotion?.baseExport || !opened.has(v.name)) continue;
        const id = baseExportId(v.promotion.mirror);
        try {
          await addNbdExport(qmp, { id, nodeId: v.nodeId, name: id, writable: false });
          draft.adjustments.push(`base export ${id} of volume ${v.name} restored (read only)`);
        } catch (err) {
          draft.failures.push(`base export ${id} of volume ${v.name}: ${errorText(err)}`);
        }
      }

      let exports = 0;
      for (const lu of draft.state.lus) {
        if (isTransitional(lu.state)) {
          toStandby(ctx, draft, lu.guid, `found in ${lu.state} when qemu-storage-daemon started (an operation was interrupted); standby is the safe side`);
        } else if (lu.state === "active" && !opened.has(lu.volume)) {
          draft.failures.push(`LU ${lu.guid}: volume ${lu.volume} could not be opened; the LU is not exported`);
          toStandby(ctx, draft, lu.guid, `volume ${lu.volume} could not be opened when qemu-storage-daemon started`);
        } else if (lu.state === "active") {
          const nodeId = topNode(draft.state.volumes.find((v) => v.name === lu.volume)!);
          try {
            await addClientExport(qmp, nodeId, lu.guid);
            exports++;
          } catch (err) {
            draft.failures.push(`LU ${lu.guid}: ${errorText(err)}`);
            toStandby(ctx, draft, lu.guid, `could not be exported when qemu-storage-daemon started: ${errorText(err)}`);
          }
        }
      }

      if (draft.state !== ctx.store.state) await ctx.store.save(draft.state);

      // After the client exports, so QSD moves them onto each job's filter as it starts.
      for (const m of ctx.store.state.mirrors) {
        if (!opened.has(m.volume)) {
          draft.failures.push(`mirror ${m.name}: volume ${m.volume} could not be opened; the job is not started`);
          ctx.mirrors.ensure(m.name).error = `volume ${m.volume} could not be opened when qemu-storage-daemon started`;
          continue;
        }
        try {
          await restartJob(ctx, qmp, m);
          draft.adjustments.push(
            `mirror ${m.name}: job restarted with sync=full (a restarted job cannot know what changed while it was down; unallocated ranges pass quickly)`,
          );
        } catch (err) {
          const later = ctx.mirrors.get(m.name)?.restartPending ? "; it starts (sync=full) once the target answers" : "";
          draft.adjustments.push(`mirror ${m.name}: job not started: ${errorText(err)}${later}`);
        }
      }
      ctx.qsd.markBuilt(generation);
      report = {
        startedAt: startedAt.toISOString(),
        finishedAt: ctx.now().toISOString(),
        qsdPid: qsd.pid,
        volumes: opened.size,
        exports,
        transitions: draft.transitions,
        adjustments: draft.adjustments,
        failures: draft.failures,
        unmanagedFiles: await unmanagedFiles(ctx, draft.state),
      };
    } catch (err) {
      // QSD went away (or the state file cannot be written): the next QSD start tries again.
      ctx.log.error("rebuild of qemu-storage-daemon's graph failed", { pid: qsd.pid, error: errorText(err) });
      return;
    } finally {
      ctx.rebuild.finish(report);
    }

    for (const t of report.transitions) ctx.publish("lu.state", { guid: t.guid, from: t.from, to: t.to, reason: t.reason });
    const summary = {
      volumes: report.volumes,
      exports: report.exports,
      transitions: report.transitions.length,
      adjustments: report.adjustments.length,
      failures: report.failures.length,
      unmanagedFiles: report.unmanagedFiles.length,
    };
    ctx.publish("qsd.rebuilt", { pid: qsd.pid, ...summary, problems: [...report.failures, ...report.adjustments] });
    (report.failures.length > 0 ? ctx.log.warn : ctx.log.info)("qemu-storage-daemon graph rebuilt from the state file", {
      pid: qsd.pid,
      ...summary,
    });
    for (const line of [...report.failures, ...report.adjustments]) ctx.log.warn("rebuild", { detail: line });
    if (report.unmanagedFiles.length > 0) {
      ctx.log.warn("pool directories hold images this agent does not manage", { files: report.unmanagedFiles.join(" ") });
    }
  });
}
