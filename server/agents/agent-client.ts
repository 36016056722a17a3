// How the console talks to a host agent. Everything the agent says is validated against the
// shared contract before anyone uses it.
import { agentError, agentEvent, agentHealth, type AgentEvent, type AgentHealth } from "@tandem/contracts/agent";
import { TandemError } from "@/server/domain/errors";

export type AgentTarget = { url: string; token: string };

export interface AgentClient {
  health(opts?: { timeoutMs?: number }): Promise<AgentHealth>;
  /** Streams events until the stream ends or `signal` aborts. Resolves on end; rejects if it cannot connect. */
  streamEvents(onEvent: (e: AgentEvent) => void, opts: { signal: AbortSignal; since?: number }): Promise<void>;
}

function describe(err: unknown): string {
  const e = err as { name?: string; cause?: { code?: string; message?: string }; message?: string };
  if (e?.name === "TimeoutError" || e?.name === "AbortError") return "no answer in time";
  if (e?.cause?.code === "ECONNREFUSED") return "connection refused";
  if (e?.cause?.code) return e.cause.code;
  return e?.cause?.message ?? e?.message ?? String(err);
}

async function readError(res: Response): Promise<string> {
  const body = await res.json().catch(() => null);
  const parsed = agentError.safeParse(body);
  return parsed.success ? parsed.data.error.message : `HTTP ${res.status}`;
}

export function createAgentClient(target: AgentTarget): AgentClient {
  const base = target.url.replace(/\/+$/, "");
  const headers = { authorization: `Bearer ${target.token}` };

  return {
    async health({ timeoutMs = 1500 } = {}) {
      let res: Response;
      try {
        res = await fetch(`${base}/v1/health`, { headers, signal: AbortSignal.timeout(timeoutMs) });
      } catch (err) {
        throw new TandemError("UNAVAILABLE", `agent unreachable (${describe(err)})`, { cause: err });
      }
      if (res.status === 401) throw new TandemError("UNAVAILABLE", `agent refused the console's token`, { retryable: false });
      if (!res.ok) throw new TandemError("UNAVAILABLE", `agent error: ${await readError(res)}`);
      const parsed = agentHealth.safeParse(await res.json());
      if (!parsed.success) throw new TandemError("UNAVAILABLE", `agent sent an unexpected health report`, { retryable: false });
      return parsed.data;
    },

    async streamEvents(onEvent, { signal, since }) {
      const url = `${base}/v1/events${since === undefined ? "" : `?since=${since}`}`;
      const res = await fetch(url, { headers: { ...headers, accept: "text/event-stream" }, signal });
      if (!res.ok || !res.body) throw new TandemError("UNAVAILABLE", `agent events at ${base}: ${await readError(res)}`);
      const decoder = new TextDecoder();
      let buffer = "";
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          let cut: number;
          while ((cut = buffer.indexOf("\n\n")) >= 0) {
            const frame = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            const data = frame
              .split("\n")
              .filter((l) => l.startsWith("data:"))
              .map((l) => l.slice(5).trimStart())
              .join("\n");
            if (!data) continue; // heartbeat comment
            const parsed = agentEvent.safeParse(JSON.parse(data));
            if (parsed.success) onEvent(parsed.data);
          }
        }
      } catch (err) {
        if (signal.aborted) return;
        throw err;
      }
    },
  };
}
