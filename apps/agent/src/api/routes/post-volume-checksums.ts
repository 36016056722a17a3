import { checksumRequest, checksumResult } from "@tandem/contracts/replication";
import { checksumVolume } from "../../engine/checksums";
import type { RouteHandler } from "../api-deps";
import { volumeParam } from "../params";
import { readJsonBody } from "../read-body";
import { sendJson } from "../respond";

/** POST /v1/volumes/:name/checksums {chunkBytes?, layer?} → 200 ChecksumResult (read over NBD from this host's QSD) */
export const postVolumeChecksums: RouteHandler = async ({ req, res, params, deps }) => {
  const name = volumeParam(params);
  const { chunkBytes, layer } = await readJsonBody(req, checksumRequest);
  sendJson(res, 200, checksumResult.parse(await checksumVolume(deps.storage, name, chunkBytes, layer)));
};
