import { createSnapshotRequest, snapshot } from "@tandem/contracts/storage";
import { toSnapshot } from "../../engine/dto";
import { createSnapshot } from "../../engine/snapshots";
import type { RouteHandler } from "../api-deps";
import { volumeParam } from "../params";
import { readJsonBody } from "../read-body";
import { sendJson } from "../respond";

/** POST /v1/volumes/:name/snapshots {name} → 201 Snapshot */
export const postSnapshot: RouteHandler = async ({ req, res, params, deps }) => {
  const volume = volumeParam(params);
  const { name } = await readJsonBody(req, createSnapshotRequest);
  sendJson(res, 201, snapshot.parse(toSnapshot(volume, await createSnapshot(deps.storage, volume, name))));
};
