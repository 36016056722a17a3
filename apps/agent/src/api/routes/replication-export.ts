import { createReplicationExportRequest, epoch, replicationExport } from "@tandem/contracts/replication";
import { createReplicationExport, deleteReplicationExport, toReplicationExport } from "../../engine/replication-exports";
import { badRequest } from "../api-error";
import type { RouteHandler } from "../api-deps";
import { mirrorParam } from "../params";
import { readJsonBody } from "../read-body";
import { sendJson, sendNoContent } from "../respond";
import { zodMessage } from "../zod-message";

/** POST /v1/replication/exports {volume, mirror, epoch} → 201 ReplicationExport (200 if it existed) */
export const postReplicationExport: RouteHandler = async ({ req, res, deps }) => {
  const input = await readJsonBody(req, createReplicationExportRequest);
  const { record, created } = await createReplicationExport(deps.storage, input);
  sendJson(res, created ? 201 : 200, replicationExport.parse(toReplicationExport(deps.storage, record)));
};

/** DELETE /v1/replication/exports/:mirror[?epoch=N] → 204, also when it was gone already (the fence) */
export const deleteReplicationExportRoute: RouteHandler = async ({ res, params, query, deps }) => {
  const mirror = mirrorParam(params);
  const raw = query.get("epoch");
  let fenceEpoch: number | undefined;
  if (raw !== null) {
    const parsed = epoch.safeParse(/^\d{1,15}$/.test(raw) ? Number(raw) : Number.NaN);
    if (!parsed.success) throw badRequest(zodMessage("epoch", parsed.error));
    fenceEpoch = parsed.data;
  }
  await deleteReplicationExport(deps.storage, mirror, fenceEpoch);
  sendNoContent(res);
};
