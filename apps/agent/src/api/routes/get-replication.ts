import { replicationStatusWithFences } from "@tandem/contracts/failover";
import { mirrorJob, replicationExport } from "@tandem/contracts/replication";
import { z } from "zod";
import { toReplicationExport } from "../../engine/replication-exports";
import { requireMirror } from "../../engine/mirror-job";
import type { RouteHandler } from "../api-deps";
import { mirrorParam } from "../params";
import { sendJson } from "../respond";

/**
 * GET /v1/replication → ReplicationStatus (+ fences): mirrors sourced here, replication exports,
 * epochs, fences. The peer agent reads `epochs` at every QSD start (a stale source never serves).
 */
export const getReplication: RouteHandler = ({ res, deps }) => {
  const { storage } = deps;
  const state = storage.store.state;
  sendJson(
    res,
    200,
    replicationStatusWithFences.parse({
      mirrors: state.mirrors.map((m) => storage.mirrors.view(m)),
      exports: state.replicationExports.map((e) => toReplicationExport(storage, e)),
      epochs: state.mirrorEpochs,
      fences: state.fences,
    }),
  );
};

/** GET /v1/mirrors → MirrorJob[] (mirrors whose source is on this host) */
export const listMirrors: RouteHandler = ({ res, deps }) => {
  const { storage } = deps;
  sendJson(res, 200, z.array(mirrorJob).parse(storage.store.state.mirrors.map((m) => storage.mirrors.view(m))));
};

/** GET /v1/mirrors/:name → MirrorJob */
export const getMirror: RouteHandler = ({ res, params, deps }) => {
  const { storage } = deps;
  sendJson(res, 200, mirrorJob.parse(storage.mirrors.view(requireMirror(storage.store.state, mirrorParam(params)))));
};

/** GET /v1/replication/exports → ReplicationExport[] */
export const listReplicationExports: RouteHandler = ({ res, deps }) => {
  const { storage } = deps;
  sendJson(res, 200, z.array(replicationExport).parse(storage.store.state.replicationExports.map((e) => toReplicationExport(storage, e))));
};
