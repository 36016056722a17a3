import { mergeOverlayResult } from "@tandem/contracts/failover";
import { z } from "zod";
import { mergeOverlay } from "../../engine/merge-overlay";
import type { RouteHandler } from "../api-deps";
import { volumeParam } from "../params";
import { readJsonBody } from "../read-body";
import { sendJson } from "../respond";

/** POST /v1/volumes/:name/merge-overlay (empty body or {}) → 200 MergeOverlayResult */
export const postVolumeMergeOverlay: RouteHandler = async ({ req, res, params, deps }) => {
  const name = volumeParam(params);
  await readJsonBody(req, z.strictObject({}));
  sendJson(res, 200, mergeOverlayResult.parse(await mergeOverlay(deps.storage, name)));
};
