// Brings the database in step with what a host actually has (the agent is the truth about
// existence and state) and records disagreements as drift. Writes and tells browsers only what
// changed. Subjects with an operation in flight are left to that operation.
import type { Lu, Volume } from "@tandem/contracts/storage";
import { listVolumes, replaceSnapshots, setDrift, updateLuFacts, updateVolumeFacts } from "@/server/db/storage-store";
import { appendEvent } from "@/server/db/event-store";
import type { Deps, HostRef } from "@/server/services/deps";
import { volumeLock } from "./locks";

export async function syncHostStorage(
  deps: Pick<Deps, "db" | "bus" | "now" | "storageFor">,
  host: HostRef,
  /** The lock of the operation calling this, whose own subject it may sync. */
  opts: { ownLock?: string | null } = {},
) {
  const agent = deps.storageFor(host);
  const [agentVolumes, agentLus] = await Promise.all([agent.volumes(), agent.lus()]);
  const busy = new Set(
    (await deps.db.operation.findMany({ where: { hostId: host.id, lockKey: { not: null } }, select: { lockKey: true } }))
      .map((o) => o.lockKey)
      .filter((k) => k !== opts.ownLock),
  );
  const now = deps.now();
  const rows = await listVolumes(deps.db, host.id);
  const byName = new Map<string, Volume>(agentVolumes.map((v) => [v.name, v]));
  const lusByVolume = new Map<string, Lu>(agentLus.map((l) => [l.volume, l]));
  const drift: { kind: string; name: string; problem: string }[] = [];
  const changed = new Set<"volumes" | "snapshots" | "lus" | "drift">();

  for (const row of rows) {
    if (busy.has(volumeLock(host.id, row.name))) continue;
    const v = byName.get(row.name);
    if (!v) {
      drift.push({ kind: "volume", name: row.name, problem: `in Tandem's database but not on ${host.name}` });
      if (!row.missingSince) {
        await updateVolumeFacts(deps.db, row.id, { missingSince: now });
        changed.add("volumes");
      }
      continue;
    }
    if (row.sizeBytes !== BigInt(v.sizeBytes) || row.allocatedBytes !== BigInt(v.allocatedBytes) || row.missingSince) {
      await updateVolumeFacts(deps.db, row.id, { sizeBytes: BigInt(v.sizeBytes), allocatedBytes: BigInt(v.allocatedBytes), missingSince: null });
      changed.add("volumes");
    }
    const snaps = await agent.snapshots(row.name).catch(() => null);
    if (snaps && (await replaceSnapshots(deps.db, row.id, snaps.map((s) => ({ name: s.name, sizeBytes: BigInt(s.sizeBytes), takenAt: new Date(s.createdAt) }))))) {
      changed.add("snapshots");
    }

    const l = lusByVolume.get(row.name);
    if (row.lu && !l) {
      drift.push({ kind: "lu", name: row.lu.guid, problem: `LU of ${row.name} is in Tandem's database but not on ${host.name}` });
      if (!row.lu.missingSince) await updateLuFacts(deps.db, row.lu.id, { missingSince: now });
    } else if (!row.lu && l) {
      drift.push({ kind: "lu", name: l.guid, problem: `LU on ${host.name}/${row.name} that Tandem did not create` });
    } else if (row.lu && l) {
      if (row.lu.guid !== l.guid) {
        drift.push({ kind: "lu", name: l.guid, problem: `${host.name}/${row.name} is exported as ${l.guid}, Tandem expects ${row.lu.guid}` });
      } else if (row.lu.accessState !== l.state || row.lu.uri !== l.uri || row.lu.missingSince) {
        await updateLuFacts(deps.db, row.lu.id, { accessState: l.state, uri: l.uri, stateChangedAt: new Date(l.stateChangedAt), missingSince: null });
        if (row.lu.accessState !== l.state) {
          await appendEvent(deps.db, {
            kind: "lu.state",
            subjectType: "lu",
            subjectId: l.guid,
            actor: "system:reconciler",
            message: `${l.guid} on ${host.name}: ${row.lu.accessState} → ${l.state}`,
            data: { hostId: host.id, from: row.lu.accessState, to: l.state },
            at: new Date(l.stateChangedAt),
          });
          deps.bus.publish({ type: "lu.state", hostId: host.id, guid: l.guid, from: row.lu.accessState, to: l.state, at: l.stateChangedAt });
        }
        changed.add("lus");
      }
    }
  }

  const known = new Set(rows.map((r) => r.name));
  for (const v of agentVolumes) {
    if (known.has(v.name) || busy.has(volumeLock(host.id, v.name))) continue;
    drift.push({ kind: "volume", name: v.name, problem: `on ${host.name} but not in Tandem's database` });
  }

  if (await setDrift(deps.db, host.id, drift)) changed.add("drift");
  if (changed.size) deps.bus.publish({ type: "storage.changed", hostId: host.id, what: [...changed] });
  return { changed: [...changed], drift };
}
