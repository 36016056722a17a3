import { baseExport, baseExportRequest } from "@tandem/contracts/failover";
import { createBaseExport, deleteBaseExport } from "../../engine/base-export";
import type { RouteHandler } from "../api-deps";
import { volumeParam } from "../params";
import { readJsonBody } from "../read-body";
import { sendJson, sendNoContent } from "../respond";

/** POST /v1/volumes/:name/base-export {mirror} → 201 BaseExport (200 when it existed) */
export const postBaseExport: RouteHandler = async ({ req, res, params, deps }) => {
  const name = volumeParam(params);
  const { mirror } = await readJsonBody(req, baseExportRequest);
  const { view, created } = await createBaseExport(deps.storage, name, mirror);
  sendJson(res, created ? 201 : 200, baseExport.parse(view));
};

/** DELETE /v1/volumes/:name/base-export → 204 (also when there was none) */
export const deleteBaseExportRoute: RouteHandler = async ({ res, params, deps }) => {
  await deleteBaseExport(deps.storage, volumeParam(params));
  sendNoContent(res);
};
