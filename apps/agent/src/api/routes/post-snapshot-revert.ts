import { volume } from "@tandem/contracts/storage";
import { z } from "zod";
import { toVolume } from "../../engine/dto";
import { revertSnapshot } from "../../engine/snapshots";
import type { RouteHandler } from "../api-deps";
import { snapshotParam, volumeParam } from "../params";
import { readJsonBody } from "../read-body";
import { sendJson } from "../respond";

/** POST /v1/volumes/:name/snapshots/:snap/revert (empty body or {}) → 200 Volume */
export const postSnapshotRevert: RouteHandler = async ({ req, res, params, deps }) => {
  const name = volumeParam(params);
  const snap = snapshotParam(params);
  await readJsonBody(req, z.strictObject({}));
  const record = await revertSnapshot(deps.storage, name, snap);
  sendJson(res, 200, volume.parse(await toVolume(deps.storage, deps.storage.store.state, record)));
};
