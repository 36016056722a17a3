import type { AluaRecord } from "../state/state-schema";
import { setAlua } from "../state/state-edits";
import { toAluaConfig } from "./dto";
import { runOperation } from "./operation";
import type { StorageContext } from "./storage-context";

/** Replaces the ALUA settings. The peer's token goes to the state file only, never out. */
export function configureAlua(ctx: StorageContext, alua: AluaRecord): Promise<AluaRecord> {
  return runOperation(ctx, "configure ALUA", async (op) => {
    const peer = alua.peer ? { ...alua.peer, url: alua.peer.url.replace(/\/+$/, "") } : null;
    const next = { ...alua, peer };
    await op.commit(setAlua(ctx.store.state, next), [["alua.changed", toAluaConfig(next)]]);
    ctx.log.info("ALUA configured", { enabled: next.enabled, nodeId: next.nodeId, peer: peer?.name ?? null, peerUrl: peer?.url });
    return next;
  });
}
