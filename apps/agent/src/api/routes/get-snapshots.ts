import { snapshot } from "@tandem/contracts/storage";
import { z } from "zod";
import { toSnapshot } from "../../engine/dto";
import { requireSnapshot, requireVolume } from "../../engine/lookups";
import type { RouteHandler } from "../api-deps";
import { snapshotParam, volumeParam } from "../params";
import { sendJson } from "../respond";

/** GET /v1/volumes/:name/snapshots → Snapshot[] (oldest first) */
export const listSnapshots: RouteHandler = ({ res, params, deps }) => {
  const v = requireVolume(deps.storage.store.state, volumeParam(params));
  sendJson(res, 200, z.array(snapshot).parse(v.snapshots.map((s) => toSnapshot(v.name, s))));
};

/** GET /v1/volumes/:name/snapshots/:snap → Snapshot */
export const getSnapshot: RouteHandler = ({ res, params, deps }) => {
  const found = requireSnapshot(deps.storage.store.state, volumeParam(params), snapshotParam(params));
  sendJson(res, 200, snapshot.parse(toSnapshot(found.volume.name, found.snapshot)));
};
