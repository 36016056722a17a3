// Applies one observation of a host (from the monitor's poll) to the database and tells browsers.
// Writes only what changed; the status change is compare-and-set, so two monitors agree.
import type { AgentHealth } from "@tandem/contracts/agent";
import { casHostStatus, findHost, recordHostFacts } from "@/server/db/host-store";
import { appendEvent } from "@/server/db/event-store";
import { hostStatus, statusFor, type HostObservation } from "@/server/domain/host/host.machine";
import type { Deps } from "@/server/services/deps";

const SEEN_WRITE_EVERY_MS = 10_000;

export async function observeHost(deps: Pick<Deps, "db" | "bus" | "now">, hostId: string, health: AgentHealth | null, failure: string | null) {
  const host = await findHost(deps.db, hostId);
  if (!host) return;
  const now = deps.now();
  const current = hostStatus.catch("offline").parse(host.status);
  const seen: HostObservation = health
    ? { reachable: true, qsdRunning: health.qsd.running, reason: health.reason }
    : { reachable: false, reason: failure ?? "unreachable" };
  const next = statusFor(current, seen);

  if (health) {
    const capacity = BigInt(health.pools.reduce((s, p) => s + p.capacityBytes, 0));
    const free = BigInt(health.pools.reduce((s, p) => s + p.freeBytes, 0));
    const nbdAddress = `${health.nbd.host}:${health.nbd.port}`;
    const factsChanged =
      host.qsdVersion !== health.qsd.version ||
      host.agentVersion !== health.agentVersion ||
      host.nbdAddress !== nbdAddress ||
      host.capacityBytes !== capacity ||
      // Free space moves with every write; only a change of 1 MiB or more is worth a write.
      (host.freeBytes > free ? host.freeBytes - free : free - host.freeBytes) >= 1n << 20n;
    const seenStale = !host.lastSeenAt || now.getTime() - host.lastSeenAt.getTime() >= SEEN_WRITE_EVERY_MS;
    if (factsChanged || seenStale || next.status !== current) {
      await recordHostFacts(deps.db, hostId, {
        lastSeenAt: now,
        qsdVersion: health.qsd.version,
        agentVersion: health.agentVersion,
        nbdAddress,
        capacityBytes: capacity,
        freeBytes: free,
      });
      deps.bus.publish({
        type: "host.facts",
        hostId,
        lastSeenAt: now.toISOString(),
        qsdVersion: health.qsd.version,
        capacityBytes: capacity.toString(),
        freeBytes: free.toString(),
      });
    }
  }

  if (next.status === current) return;
  const changed = await casHostStatus(deps.db, hostId, current, next.status, next.reason, now);
  if (!changed) return; // another monitor got there first; it tells the browsers
  await appendEvent(deps.db, {
    kind: "host.status",
    subjectType: "host",
    subjectId: hostId,
    actor: "system:monitor",
    message: `${host.name} is ${next.status}${next.reason ? ` (${next.reason})` : ""}`,
    data: { from: current, to: next.status },
    at: now,
  });
  deps.bus.publish({ type: "host.status", hostId, name: host.name, status: next.status, reason: next.reason, at: now.toISOString() });
}
