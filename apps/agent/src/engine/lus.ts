// LUs: a volume with a GUID, an alias and an ALUA access state. An Active LU has an NBD client
// export named by its GUID; Standby has none (its backing store is released).
import { randomBytes } from "node:crypto";
import type { AccessStateName } from "@tandem/contracts/storage";
import { addLu, findLu, luOfVolume, mirrorOfVolume, removeFence, removeLu, transitionLu } from "../state/state-edits";
import type { AgentState, LuRecord } from "../state/state-schema";
import { addClientExport, ensureClientExport, removeClientExport } from "./block-graph";
import { clientExportNode } from "./export-node";
import { checkEpoch } from "./mirror-job";
import { requireCurrentEpoch, requireNotHeld } from "./holds";
import { requireAluaEnabled, requireLu, requireVolume } from "./lookups";
import { runOperation, type Operation } from "./operation";
import { errorText, StorageError } from "./storage-error";
import type { StorageContext } from "./storage-context";

/** A mirror target takes writes from its source only: its LU may not become Active meanwhile. */
function requireNotTarget(state: AgentState, volume: string): void {
  const holder = mirrorOfVolume(state, volume);
  if (holder?.role === "target") {
    throw new StorageError(
      "in_use",
      `volume ${volume} is the target of mirror ${holder.name}; remove its replication export (fence) before its LU serves clients`,
    );
  }
}

/** NAA-6 style: '6' and 31 random hex digits. */
export const newGuid = () => `6${randomBytes(16).toString("hex").slice(0, 31)}`;

export function createLu(
  ctx: StorageContext,
  input: { volume: string; guid?: string; alias?: string; state: "active" | "standby" },
): Promise<LuRecord> {
  return runOperation(ctx, "create LU", async (op) => {
    const state = ctx.store.state;
    const volume = requireVolume(state, input.volume);
    const holder = luOfVolume(state, volume.name);
    if (holder) throw new StorageError("in_use", `volume ${volume.name} already belongs to LU ${holder.guid}`);
    const guid = input.guid ?? newGuid();
    if (findLu(state, guid)) throw new StorageError("exists", `an LU with GUID ${guid} already exists on this host`);

    if (input.state === "active") {
      requireNotTarget(state, volume.name);
      requireNotHeld(state, volume.name, "create an Active LU on it");
      ctx.busy.require(volume.name, "export");
      const qmp = ctx.qsd.session();
      await addClientExport(qmp, await clientExportNode(state, qmp, volume), guid);
      op.onUndo("remove the export", () => removeClientExport(qmp, guid));
    }
    const at = ctx.now().toISOString();
    const record: LuRecord = {
      guid,
      alias: input.alias ? input.alias : null,
      volume: volume.name,
      state: input.state,
      stateChangedAt: at,
      createdAt: at,
      transitions: [],
      ...(input.state === "active" ? { exportAddedAt: at } : {}),
    };
    await op.commit(addLu(state, record), [["lu.created", { guid, volume: volume.name, alias: record.alias, state: record.state }]]);
    ctx.log.info("LU created", { guid, volume: volume.name, state: record.state });
    return record;
  });
}

export function deleteLu(ctx: StorageContext, guid: string): Promise<void> {
  return runOperation(ctx, "delete LU", async (op) => {
    const lu = requireLu(ctx.store.state, guid);
    const volume = requireVolume(ctx.store.state, lu.volume);
    const qmp = ctx.qsd.session();
    // Whatever the recorded state says: an export left by an interrupted operation goes too.
    const node = await clientExportNode(ctx.store.state, qmp, volume);
    if (await removeClientExport(qmp, guid)) op.onUndo("re-export the LU", () => addClientExport(qmp, node, guid));
    await op.commit(removeLu(ctx.store.state, guid), [["lu.deleted", { guid, volume: lu.volume }]]);
    ctx.log.info("LU deleted", { guid, volume: lu.volume });
  });
}

/** ISO time with milliseconds: export times measure client outages. */
const preciseNow = () => new Date().toISOString();

interface MoveExtras {
  /** Export times to record with the move (also sent in the lu.state event). */
  times?: Pick<LuRecord, "exportAddedAt" | "exportRemovedAt">;
  /** A further edit committed with the move (lifting a fence). */
  edit?: (s: AgentState) => AgentState;
}

/** Commits one access-state change and announces it (lu.state). */
async function moveLu(ctx: StorageContext, op: Operation, guid: string, to: AccessStateName, reason: string, extras: MoveExtras = {}): Promise<LuRecord> {
  const moved = transitionLu(ctx.store.state, guid, to, reason, ctx.now());
  const { transition } = moved;
  let state = moved.state;
  if (extras.times) state = { ...state, lus: state.lus.map((l) => (l.guid === guid ? { ...l, ...extras.times } : l)) };
  if (extras.edit) state = extras.edit(state);
  await op.commit(state, [["lu.state", { guid, from: transition.from, to, reason, ...extras.times }]]);
  ctx.log.info("LU access state changed", { guid, from: transition.from, to, reason });
  return requireLu(ctx.store.state, guid);
}

/** After a failed move: put the LU back where it was, best effort (a rebuild settles the rest). */
async function moveBack(ctx: StorageContext, op: Operation, guid: string, to: AccessStateName, reason: string, restore: () => Promise<unknown>) {
  try {
    await restore();
    await moveLu(ctx, op, guid, to, reason);
  } catch (err) {
    ctx.log.error("could not return the LU to its previous state", { guid, to, error: errorText(err) });
  }
}

/**
 * COMSTAR `standby`: Active → Transition to Standby → client export removed (hard: its clients
 * are dropped) → Standby. Idempotent on a Standby LU. Also finishes an LU left in transition.
 */
export function standbyLu(ctx: StorageContext, guid: string, reason = "standby requested"): Promise<LuRecord> {
  return runOperation(ctx, "standby LU", async (op) => {
    // Unknown first: a peer without a copy answers 404 (nothing to release) whatever its ALUA setting.
    requireLu(ctx.store.state, guid);
    requireAluaEnabled(ctx.store.state);
    return standbyWithin(ctx, op, guid, reason);
  });
}

/** The standby steps inside the caller's operation (a fence demotes the LU whatever ALUA says). */
export async function standbyWithin(ctx: StorageContext, op: Operation, guid: string, reason: string): Promise<LuRecord> {
  const lu = requireLu(ctx.store.state, guid);
  if (lu.state === "standby") return lu;
  const volume = requireVolume(ctx.store.state, lu.volume);
  const qmp = ctx.qsd.session();
  const wasActive = lu.state === "active";
  if (wasActive) await moveLu(ctx, op, guid, "transition_to_standby", reason);
  let removedAt: string | undefined;
  try {
    if (await removeClientExport(qmp, guid)) removedAt = preciseNow();
  } catch (err) {
    if (wasActive) {
      const why = `standby failed: ${errorText(err)}`;
      await moveBack(ctx, op, guid, "active", why, async () => ensureClientExport(qmp, await clientExportNode(ctx.store.state, qmp, volume), guid));
    }
    throw err;
  }
  return moveLu(ctx, op, guid, "standby", `${reason}: client export removed`, removedAt ? { times: { exportRemovedAt: removedAt } } : {});
}

/**
 * COMSTAR `import`: Standby → Transition to Active → the peer is told to move its copy to
 * Standby → client export added → Active. If the peer cannot be told, the LU goes back to
 * Standby and the request fails (503 unreachable, 409 refused), unless `force`.
 */
export function importLu(ctx: StorageContext, guid: string, options: { force: boolean; reason?: string; epoch?: number }): Promise<LuRecord> {
  return runOperation(ctx, "import LU", async (op) => {
    const { alua } = ctx.store.state;
    const lu = requireLu(ctx.store.state, guid);
    requireAluaEnabled(ctx.store.state);
    if (lu.state === "active") return lu;
    if (lu.state !== "standby") {
      throw new StorageError("wrong_state", `LU ${guid} is in ${lu.state}; put it in standby before importing it`);
    }
    const volume = requireVolume(ctx.store.state, lu.volume);
    requireNotTarget(ctx.store.state, volume.name);
    // A held volume (fenced, or behind the peer's epoch) needs the console's current epoch.
    const lifted = requireCurrentEpoch(ctx.store.state, volume.name, options.epoch, `import LU ${guid}`);
    const mirror = mirrorOfVolume(ctx.store.state, volume.name)?.name ?? volume.promotion?.mirror;
    if (mirror && options.epoch !== undefined) checkEpoch(ctx.store.state, mirror, options.epoch);
    ctx.busy.require(volume.name, "import an LU of");
    const qmp = ctx.qsd.session();
    const reason = options.reason ?? "import requested";
    await moveLu(ctx, op, guid, "transition_to_active", reason);

    let forced = "";
    if (alua.peer) {
      const told = await ctx.peer.standby(alua.peer, guid, `${ctx.hostName} (ALUA node ${alua.nodeId}) imports the LU`);
      if (told.kind === "unreachable" || told.kind === "refused") {
        const what = `peer ${alua.peer.name} ${told.why}`;
        if (!options.force) {
          await moveLu(ctx, op, guid, "standby", `import cancelled: ${what}`);
          const code = told.kind === "unreachable" ? "peer_unreachable" : "peer_refused";
          throw new StorageError(code, `${what}; LU ${guid} stays in standby (import with force to override)`);
        }
        forced = ` (forced although ${what})`;
      }
    }
    let addedAt: string;
    try {
      // On the filter while this volume is a mirror's source: below it, writes would bypass the mirror.
      await addClientExport(qmp, await clientExportNode(ctx.store.state, qmp, volume), guid);
      addedAt = preciseNow();
    } catch (err) {
      await moveBack(ctx, op, guid, "standby", `import failed: ${errorText(err)}`, async () => {});
      throw err;
    }
    const liftNote = lifted ? `; hold lifted (${lifted.reason}) with epoch ${options.epoch}` : "";
    return moveLu(ctx, op, guid, "active", `${reason}: client export added${forced}${liftNote}`, {
      times: { exportAddedAt: addedAt },
      edit: lifted ? (s) => removeFence(s, volume.name) : undefined,
    });
  });
}
