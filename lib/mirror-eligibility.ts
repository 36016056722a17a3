// Which volumes can be a new mirror's source or target, and why the others cannot. Computed in
// the browser from volume.list, mirror.list and host.list so the dialog can explain itself; the
// server checks the same rules again when the mirror is created.
import { formatBytes } from "./format";

export type EligVolume = {
  host: string;
  name: string;
  ref: string;
  sizeBytes: number;
  missing: boolean;
  lu: { guid: string; accessState: string } | null;
};
export type EligMirror = { name: string; source: { ref: string }; target: { ref: string } };
export type EligHost = { name: string; status: string; pair: { id: string; name: string } | null };

export type Ineligible<V> = { volume: V; reasons: string[] };
export type Candidates<V> = { eligible: V[]; ineligible: Ineligible<V>[] };

/** ref → the mirror it belongs to and its role there. */
export function mirrorMembership(mirrors: readonly EligMirror[]): Map<string, { mirror: string; role: "source" | "target" }> {
  const out = new Map<string, { mirror: string; role: "source" | "target" }>();
  for (const m of mirrors) {
    out.set(m.source.ref, { mirror: m.name, role: "source" });
    out.set(m.target.ref, { mirror: m.name, role: "target" });
  }
  return out;
}

/** The other host of `host`'s pair, or null when it has none. */
export function peerOf(host: string, hosts: readonly EligHost[]): EligHost | null {
  const h = hosts.find((x) => x.name === host);
  if (!h?.pair) return null;
  return hosts.find((x) => x.name !== host && x.pair?.id === h.pair!.id) ?? null;
}

const byRef = <V extends EligVolume>(a: V, b: V) => a.ref.localeCompare(b.ref);

export function sourceCandidates<V extends EligVolume>(volumes: readonly V[], mirrors: readonly EligMirror[], hosts: readonly EligHost[]): Candidates<V> {
  const member = mirrorMembership(mirrors);
  const eligible: V[] = [];
  const ineligible: Ineligible<V>[] = [];
  for (const v of [...volumes].sort(byRef)) {
    const reasons: string[] = [];
    const m = member.get(v.ref);
    if (m) reasons.push(`already the ${m.role} of mirror ${m.mirror} (a volume belongs to at most one mirror)`);
    const host = hosts.find((h) => h.name === v.host);
    if (!host?.pair) reasons.push(`host ${v.host} is not in a host pair`);
    else if (!peerOf(v.host, hosts)) reasons.push(`host pair ${host.pair.name} has no second host`);
    if (host && host.status === "offline") reasons.push(`host ${v.host} is offline`);
    if (v.missing) reasons.push(`${v.host} does not report this volume (missing)`);
    if (reasons.length) ineligible.push({ volume: v, reasons });
    else eligible.push(v);
  }
  return { eligible, ineligible };
}

export function targetCandidates<V extends EligVolume>(source: EligVolume, volumes: readonly V[], mirrors: readonly EligMirror[], hosts: readonly EligHost[]): Candidates<V> & { peer: EligHost | null } {
  const peer = peerOf(source.host, hosts);
  const member = mirrorMembership(mirrors);
  const eligible: V[] = [];
  const ineligible: Ineligible<V>[] = [];
  if (!peer) return { peer, eligible, ineligible };
  for (const v of volumes.filter((x) => x.host === peer.name).sort(byRef)) {
    const reasons: string[] = [];
    const m = member.get(v.ref);
    if (m) reasons.push(`already the ${m.role} of mirror ${m.mirror}`);
    if (v.sizeBytes !== source.sizeBytes) reasons.push(`size differs: ${formatBytes(v.sizeBytes)}, the source is ${formatBytes(source.sizeBytes)}`);
    if (v.lu?.accessState === "active") reasons.push("it is an Active LU: clients use it, so it cannot be overwritten");
    else if (v.lu && source.lu && v.lu.guid !== source.lu.guid) reasons.push(`it is another LU (${v.lu.guid.slice(0, 8)}…): a mirrored LU keeps one GUID`);
    if (v.missing) reasons.push(`${v.host} does not report this volume (missing)`);
    if (reasons.length) ineligible.push({ volume: v, reasons });
    else eligible.push(v);
  }
  return { peer, eligible, ineligible };
}
