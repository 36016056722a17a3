import http from "node:http";
import { StorageError } from "../engine/storage-error";
import { ApiError, notFound, storageStatus } from "./api-error";
import type { ApiDeps } from "./api-deps";
import { bearerMatches } from "./bearer-auth";
import { parseRequestTarget } from "./request-target";
import { sendError } from "./respond";
import { matchRoute } from "./router";

/** The agent's HTTP API. Every request needs the bearer token, unknown routes included. */
export function createApiServer(deps: ApiDeps): http.Server {
  const server = http.createServer((req, res) => {
    // Changes are logged with their outcome and duration; reads only when slow (they are polled).
    const started = Date.now();
    res.on("finish", () => {
      const ms = Date.now() - started;
      if (req.method !== "GET" || ms > 2000) deps.log.info("request", { method: req.method, url: String(req.url).split("?")[0]!.slice(0, 200), status: res.statusCode, ms });
    });
    void handle(req, res, deps).catch((err: unknown) => {
      if (err instanceof ApiError) return sendError(res, err);
      if (err instanceof StorageError) {
        if (err.code === "engine_error") deps.log.error("storage operation failed", { method: req.method, url: req.url, error: err.message });
        return sendError(res, new ApiError(storageStatus[err.code] ?? 500, err.code, err.message));
      }
      deps.log.error("request failed", { method: req.method, url: req.url, error: (err as Error).message });
      if (res.headersSent) return res.destroy();
      sendError(res, new ApiError(500, "internal", "the agent failed to answer this request; see its log"));
    });
  });
  // Event streams stay open for hours; the request itself must still arrive promptly.
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  return server;
}

async function handle(req: http.IncomingMessage, res: http.ServerResponse, deps: ApiDeps): Promise<void> {
  if (!bearerMatches(req.headers.authorization, deps.token)) {
    throw new ApiError(401, "unauthorized", "missing or wrong bearer token", { "www-authenticate": "Bearer" });
  }
  const target = parseRequestTarget(req.url);
  if (!target) throw notFound(`no such route: ${req.method} ${String(req.url).slice(0, 200)}`);
  const match = matchRoute(req.method ?? "", target.segments);
  if (match.kind === "none") throw notFound(`no such route: ${req.method} /${target.segments.join("/").slice(0, 200)}`);
  if (match.kind === "wrong-method") {
    throw new ApiError(405, "method_not_allowed", `${req.method} is not allowed here; use ${match.allow.join(", ")}`, {
      allow: match.allow.join(", "),
    });
  }
  await match.handler({ req, res, params: match.params, query: target.query, deps });
}
