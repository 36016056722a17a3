import { volume } from "@tandem/contracts/storage";
import { z } from "zod";
import { toVolume } from "../../engine/dto";
import { requireVolume } from "../../engine/lookups";
import type { RouteHandler } from "../api-deps";
import { volumeParam } from "../params";
import { sendJson } from "../respond";

/** GET /v1/volumes → Volume[] */
export const listVolumes: RouteHandler = async ({ res, deps }) => {
  const state = deps.storage.store.state;
  const volumes = await Promise.all(state.volumes.map((v) => toVolume(deps.storage, state, v)));
  sendJson(res, 200, z.array(volume).parse(volumes));
};

/** GET /v1/volumes/:name → Volume */
export const getVolume: RouteHandler = async ({ res, params, deps }) => {
  const state = deps.storage.store.state;
  const v = requireVolume(state, volumeParam(params));
  sendJson(res, 200, volume.parse(await toVolume(deps.storage, state, v)));
};
