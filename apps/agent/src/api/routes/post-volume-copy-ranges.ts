import { copyRangesRequest, copyRangesResult } from "@tandem/contracts/failover";
import { copyRanges } from "../../engine/copy-ranges";
import type { RouteHandler } from "../api-deps";
import { volumeParam } from "../params";
import { readJsonBody } from "../read-body";
import { sendJson } from "../respond";

/** A failback may have thousands of differing chunks: room for about 100 000 ranges. */
const MAX_RANGES_BODY = 4 * 2 ** 20;

/** POST /v1/volumes/:name/copy-ranges {source: {uri}, ranges, epoch, mirror?} → 200 CopyRangesResult */
export const postVolumeCopyRanges: RouteHandler = async ({ req, res, params, deps }) => {
  const name = volumeParam(params);
  const input = await readJsonBody(req, copyRangesRequest, MAX_RANGES_BODY);
  sendJson(res, 200, copyRangesResult.parse(await copyRanges(deps.storage, name, input)));
};
