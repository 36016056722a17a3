import { peerProbeRequest, peerProbeResult } from "@tandem/contracts/failover";
import { probePeer } from "../../engine/peer-probe";
import type { RouteHandler } from "../api-deps";
import { readJsonBody } from "../read-body";
import { sendJson } from "../respond";

/** POST /v1/peer/probe {nbd?} → 200 PeerProbeResult (reads nothing, changes nothing) */
export const postPeerProbe: RouteHandler = async ({ req, res, deps }) => {
  const input = await readJsonBody(req, peerProbeRequest);
  sendJson(res, 200, peerProbeResult.parse(await probePeer(deps.storage, input)));
};
