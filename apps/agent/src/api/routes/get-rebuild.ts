import { rebuildStatus } from "@tandem/contracts/storage";
import type { RouteHandler } from "../api-deps";
import { sendJson } from "../respond";

/** GET /v1/state/rebuild → RebuildStatus: what the last rebuild after a QSD start restored. */
export const getRebuild: RouteHandler = ({ res, deps }) => {
  sendJson(res, 200, rebuildStatus.parse(deps.storage.rebuild.status()));
};
