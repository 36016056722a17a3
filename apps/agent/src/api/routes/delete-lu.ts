import { deleteLu as removeLu } from "../../engine/lus";
import type { RouteHandler } from "../api-deps";
import { guidParam } from "../params";
import { sendNoContent } from "../respond";

/** DELETE /v1/lus/:guid → 204 (an Active LU's export and clients are dropped) */
export const deleteLu: RouteHandler = async ({ res, params, deps }) => {
  await removeLu(deps.storage, guidParam(params));
  sendNoContent(res);
};
