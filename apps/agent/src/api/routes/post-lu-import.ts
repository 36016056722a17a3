import { importLuRequest, lu } from "@tandem/contracts/storage";
import { toLu } from "../../engine/dto";
import { importLu } from "../../engine/lus";
import type { RouteHandler } from "../api-deps";
import { guidParam } from "../params";
import { readJsonBody } from "../read-body";
import { sendJson } from "../respond";

/** POST /v1/lus/:guid/import {force?, reason?} → 200 Lu */
export const postLuImport: RouteHandler = async ({ req, res, params, deps }) => {
  const guid = guidParam(params);
  const options = await readJsonBody(req, importLuRequest);
  sendJson(res, 200, lu.parse(toLu(deps.storage, await importLu(deps.storage, guid, options))));
};
