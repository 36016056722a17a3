import { fenceMirrorRequest, fenceMirrorResult } from "@tandem/contracts/failover";
import { fenceMirror } from "../../engine/fence";
import type { RouteHandler } from "../api-deps";
import { mirrorParam } from "../params";
import { readJsonBody } from "../read-body";
import { sendJson } from "../respond";

/** POST /v1/mirrors/:name/fence {epoch, volume?} → 200 FenceMirrorResult (idempotent) */
export const postMirrorFence: RouteHandler = async ({ req, res, params, deps }) => {
  const name = mirrorParam(params);
  const input = await readJsonBody(req, fenceMirrorRequest);
  sendJson(res, 200, fenceMirrorResult.parse(await fenceMirror(deps.storage, name, input)));
};
