import { createVolumeRequest, volume } from "@tandem/contracts/storage";
import { toVolume } from "../../engine/dto";
import { createVolume } from "../../engine/volumes";
import type { RouteHandler } from "../api-deps";
import { readJsonBody } from "../read-body";
import { sendJson } from "../respond";

/** POST /v1/volumes {name, pool?, size} → 201 Volume */
export const postVolume: RouteHandler = async ({ req, res, deps }) => {
  const input = await readJsonBody(req, createVolumeRequest);
  const record = await createVolume(deps.storage, input);
  sendJson(res, 201, volume.parse(await toVolume(deps.storage, deps.storage.store.state, record)));
};
