// The target's half of the automatic-failover quorum: can this host still reach its peer? The
// console has lost the source; if this host still reaches the source's agent or its NBD server,
// the source is alive behind a console-side problem and promoting here would split the brain.
import type { PeerProbeRequest, PeerProbeResult, Reachability } from "@tandem/contracts/failover";
import { probeNbdServer } from "./nbd-probe";
import type { StorageContext } from "./storage-context";

const PROBE_TIMEOUT_MS = 1_500;

async function timed(probe: () => Promise<{ ok: boolean; why: string | null }>): Promise<Reachability> {
  const started = performance.now();
  const r = await probe();
  return { reachable: r.ok, ms: Math.round(performance.now() - started), why: r.ok ? null : r.why };
}

export async function probePeer(ctx: StorageContext, req: PeerProbeRequest): Promise<PeerProbeResult> {
  const peer = ctx.store.state.alua.peer;
  const [agent, nbd] = await Promise.all([
    peer
      ? timed(async () => {
          const r = await ctx.peer.epochs(peer);
          return r.kind === "ok" ? { ok: true, why: null } : { ok: false, why: `agent ${peer.name} ${r.why}` };
        })
      : null,
    req.nbd
      ? timed(async () => {
          const r = await probeNbdServer(req.nbd!, PROBE_TIMEOUT_MS);
          return r.ok ? { ok: true, why: null } : { ok: false, why: `NBD server ${r.why}` };
        })
      : null,
  ]);
  return { peer: peer && agent ? { name: peer.name, agent } : null, nbd };
}
