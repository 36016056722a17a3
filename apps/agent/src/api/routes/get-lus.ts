import { lu, luTransition } from "@tandem/contracts/storage";
import { z } from "zod";
import { toLu } from "../../engine/dto";
import { requireLu } from "../../engine/lookups";
import type { RouteHandler } from "../api-deps";
import { guidParam } from "../params";
import { sendJson } from "../respond";

/** GET /v1/lus → Lu[] */
export const listLus: RouteHandler = ({ res, deps }) => {
  sendJson(res, 200, z.array(lu).parse(deps.storage.store.state.lus.map((l) => toLu(deps.storage, l))));
};

/** GET /v1/lus/:guid → Lu */
export const getLu: RouteHandler = ({ res, params, deps }) => {
  sendJson(res, 200, lu.parse(toLu(deps.storage, requireLu(deps.storage.store.state, guidParam(params)))));
};

/** GET /v1/lus/:guid/transitions → LuTransition[] (oldest first, the last 100) */
export const listLuTransitions: RouteHandler = ({ res, params, deps }) => {
  const record = requireLu(deps.storage.store.state, guidParam(params));
  sendJson(res, 200, z.array(luTransition).parse(record.transitions));
};
