import { lu, standbyLuRequest } from "@tandem/contracts/storage";
import { toLu } from "../../engine/dto";
import { standbyLu } from "../../engine/lus";
import type { RouteHandler } from "../api-deps";
import { guidParam } from "../params";
import { readJsonBody } from "../read-body";
import { sendJson } from "../respond";

/** POST /v1/lus/:guid/standby {reason?} → 200 Lu (also what a peer calls when it imports) */
export const postLuStandby: RouteHandler = async ({ req, res, params, deps }) => {
  const guid = guidParam(params);
  const { reason } = await readJsonBody(req, standbyLuRequest);
  sendJson(res, 200, lu.parse(toLu(deps.storage, await standbyLu(deps.storage, guid, reason))));
};
