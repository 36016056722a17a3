import { mirrorJob, modifyMirrorRequest, startMirrorRequest, stopMirrorResult } from "@tandem/contracts/replication";
import { z } from "zod";
import { startMirror } from "../../engine/mirror-job";
import { modifyMirror } from "../../engine/mirror-modify";
import { pauseMirror, resumeMirror } from "../../engine/mirror-pause";
import { stopMirror } from "../../engine/mirror-stop";
import type { RouteHandler } from "../api-deps";
import { mirrorParam } from "../params";
import { readJsonBody } from "../read-body";
import { sendJson } from "../respond";

/** POST /v1/mirrors (startMirrorRequest) → 201 MirrorJob (200 when the same mirror already runs) */
export const postMirror: RouteHandler = async ({ req, res, deps }) => {
  const input = await readJsonBody(req, startMirrorRequest);
  const { record, created } = await startMirror(deps.storage, input);
  sendJson(res, created ? 201 : 200, mirrorJob.parse(deps.storage.mirrors.view(record)));
};

/** PATCH /v1/mirrors/:name {mode?, speedLimitBytesPerSec?} → 200 MirrorJob */
export const patchMirror: RouteHandler = async ({ req, res, params, deps }) => {
  const name = mirrorParam(params);
  const change = await readJsonBody(req, modifyMirrorRequest);
  sendJson(res, 200, mirrorJob.parse(deps.storage.mirrors.view(await modifyMirror(deps.storage, name, change))));
};

/** POST /v1/mirrors/:name/pause (empty body or {}) → 200 MirrorJob */
export const postMirrorPause: RouteHandler = async ({ req, res, params, deps }) => {
  const name = mirrorParam(params);
  await readJsonBody(req, z.strictObject({}));
  sendJson(res, 200, mirrorJob.parse(deps.storage.mirrors.view(await pauseMirror(deps.storage, name))));
};

/** POST /v1/mirrors/:name/resume (empty body or {}) → 200 MirrorJob; restarts a mirror without a job (sync=full) */
export const postMirrorResume: RouteHandler = async ({ req, res, params, deps }) => {
  const name = mirrorParam(params);
  await readJsonBody(req, z.strictObject({}));
  sendJson(res, 200, mirrorJob.parse(deps.storage.mirrors.view(await resumeMirror(deps.storage, name))));
};

/** DELETE /v1/mirrors/:name → 200 StopMirrorResult {name, drained, detail} */
export const deleteMirror: RouteHandler = async ({ res, params, deps }) => {
  sendJson(res, 200, stopMirrorResult.parse(await stopMirror(deps.storage, mirrorParam(params))));
};
