import { createLuRequest, lu } from "@tandem/contracts/storage";
import { toLu } from "../../engine/dto";
import { createLu } from "../../engine/lus";
import type { RouteHandler } from "../api-deps";
import { readJsonBody } from "../read-body";
import { sendJson } from "../respond";

/** POST /v1/lus {volume, guid?, alias?, state?} → 201 Lu */
export const postLu: RouteHandler = async ({ req, res, deps }) => {
  const input = await readJsonBody(req, createLuRequest);
  sendJson(res, 201, lu.parse(toLu(deps.storage, await createLu(deps.storage, input))));
};
