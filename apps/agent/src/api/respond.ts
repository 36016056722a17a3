import type { ServerResponse } from "node:http";
import type { AgentError } from "@tandem/contracts/agent";
import type { ApiError } from "./api-error";

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
    ...headers,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, err: ApiError): void {
  const body: AgentError = { error: { code: err.code, message: err.message } };
  sendJson(res, err.status, body, err.headers);
}

export function sendNoContent(res: ServerResponse): void {
  res.writeHead(204, { "cache-control": "no-store" });
  res.end();
}
