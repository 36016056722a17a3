import { resizeVolumeRequest, volume } from "@tandem/contracts/storage";
import { toVolume } from "../../engine/dto";
import { resizeVolume } from "../../engine/volumes";
import type { RouteHandler } from "../api-deps";
import { volumeParam } from "../params";
import { readJsonBody } from "../read-body";
import { sendJson } from "../respond";

/** POST /v1/volumes/:name/resize {size} → 200 Volume (grow only; same size is a no-op) */
export const postVolumeResize: RouteHandler = async ({ req, res, params, deps }) => {
  const name = volumeParam(params);
  const { size } = await readJsonBody(req, resizeVolumeRequest);
  const record = await resizeVolume(deps.storage, name, size);
  sendJson(res, 200, volume.parse(await toVolume(deps.storage, deps.storage.store.state, record)));
};
