import { aluaConfig, setAluaRequest } from "@tandem/contracts/storage";
import { configureAlua } from "../../engine/alua";
import { toAluaConfig } from "../../engine/dto";
import type { RouteHandler } from "../api-deps";
import { readJsonBody } from "../read-body";
import { sendJson } from "../respond";

/** GET /v1/alua → AluaConfig (never the peer's token) */
export const getAlua: RouteHandler = ({ res, deps }) => {
  sendJson(res, 200, aluaConfig.parse(toAluaConfig(deps.storage.store.state.alua)));
};

/** PUT /v1/alua {enabled, nodeId, peer: {name, url, token} | null} → 200 AluaConfig */
export const putAlua: RouteHandler = async ({ req, res, deps }) => {
  const input = await readJsonBody(req, setAluaRequest);
  sendJson(res, 200, aluaConfig.parse(toAluaConfig(await configureAlua(deps.storage, input))));
};
