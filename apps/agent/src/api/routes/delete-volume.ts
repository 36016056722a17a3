import { deleteVolume as removeVolume } from "../../engine/volumes";
import type { RouteHandler } from "../api-deps";
import { volumeParam } from "../params";
import { sendNoContent } from "../respond";

/** DELETE /v1/volumes/:name → 204 (409 in_use while an LU uses it) */
export const deleteVolume: RouteHandler = async ({ res, params, deps }) => {
  await removeVolume(deps.storage, volumeParam(params));
  sendNoContent(res);
};
