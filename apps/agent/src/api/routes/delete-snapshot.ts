import { deleteSnapshot as removeSnapshot } from "../../engine/snapshots";
import type { RouteHandler } from "../api-deps";
import { snapshotParam, volumeParam } from "../params";
import { sendNoContent } from "../respond";

/** DELETE /v1/volumes/:name/snapshots/:snap → 204 */
export const deleteSnapshot: RouteHandler = async ({ res, params, deps }) => {
  await removeSnapshot(deps.storage, volumeParam(params), snapshotParam(params));
  sendNoContent(res);
};
