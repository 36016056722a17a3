import { cloneSnapshotRequest, volume } from "@tandem/contracts/storage";
import { toVolume } from "../../engine/dto";
import { cloneSnapshot } from "../../engine/snapshots";
import type { RouteHandler } from "../api-deps";
import { snapshotParam, volumeParam } from "../params";
import { readJsonBody } from "../read-body";
import { sendJson } from "../respond";

/** POST /v1/volumes/:name/snapshots/:snap/clone {name, pool?} → 201 Volume (the new one) */
export const postSnapshotClone: RouteHandler = async ({ req, res, params, deps }) => {
  const name = volumeParam(params);
  const snap = snapshotParam(params);
  const input = await readJsonBody(req, cloneSnapshotRequest);
  const record = await cloneSnapshot(deps.storage, name, snap, input);
  sendJson(res, 201, volume.parse(await toVolume(deps.storage, deps.storage.store.state, record)));
};
