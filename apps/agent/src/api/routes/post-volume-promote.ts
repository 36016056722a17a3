import { promoteVolumeRequest } from "@tandem/contracts/failover";
import { volume } from "@tandem/contracts/storage";
import { toVolume } from "../../engine/dto";
import { promoteVolume } from "../../engine/promote";
import type { RouteHandler } from "../api-deps";
import { volumeParam } from "../params";
import { readJsonBody } from "../read-body";
import { sendJson } from "../respond";

/** POST /v1/volumes/:name/promote {mirror, epoch} → 200 Volume with `promotion` (idempotent) */
export const postVolumePromote: RouteHandler = async ({ req, res, params, deps }) => {
  const name = volumeParam(params);
  const input = await readJsonBody(req, promoteVolumeRequest);
  const record = await promoteVolume(deps.storage, name, input);
  sendJson(res, 200, volume.parse(await toVolume(deps.storage, deps.storage.store.state, record)));
};
