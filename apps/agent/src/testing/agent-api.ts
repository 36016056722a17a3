// A small JSON client for tests and the benchmark: every answer with its status, nothing thrown.
import type { SpawnedAgent } from "./spawn-agent";

export interface ApiAnswer<T = unknown> {
  status: number;
  json: T;
}

export type AgentApi = <T = unknown>(method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<ApiAnswer<T>>;

export function agentApi(agent: Pick<SpawnedAgent, "url" | "token">): AgentApi {
  return async (method, path, body, headers = {}) => {
    const res = await fetch(`${agent.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${agent.token}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: text === "" ? null : JSON.parse(text) };
  };
}
