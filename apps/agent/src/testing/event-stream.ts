import http from "node:http";
import { agentEvent, type AgentEvent } from "@tandem/contracts/agent";

/** An open GET /v1/events stream; every `data:` line is validated as an agentEvent. */
export interface EventStream {
  events: AgentEvent[];
  /** Resolves with the first event (already received or future) that satisfies the predicate. */
  waitFor(predicate: (e: AgentEvent) => boolean, timeoutMs?: number): Promise<AgentEvent>;
  heartbeats: number;
  close(): void;
}

export function openEventStream(baseUrl: string, token: string, since?: number): Promise<EventStream> {
  const { hostname, port } = new URL(baseUrl);
  const path = since === undefined ? "/v1/events" : `/v1/events?since=${since}`;
  return new Promise((resolve, reject) => {
    const waiters: { predicate: (e: AgentEvent) => boolean; resolve: (e: AgentEvent) => void }[] = [];
    const req = http.get(
      { host: hostname.replace(/^\[|\]$/g, ""), port, path, headers: { authorization: `Bearer ${token}` } },
      (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          return reject(new Error(`GET ${path}: HTTP ${res.statusCode}`));
        }
        let buffer = "";
        res.on("error", () => {}); // close() aborts the response on purpose
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          buffer += chunk;
          let end;
          while ((end = buffer.indexOf("\n\n")) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            if (block.startsWith(":")) stream.heartbeats++;
            for (const line of block.split("\n")) {
              if (!line.startsWith("data: ")) continue;
              const event = agentEvent.parse(JSON.parse(line.slice(6)));
              stream.events.push(event);
              for (const w of [...waiters]) {
                if (w.predicate(event)) {
                  waiters.splice(waiters.indexOf(w), 1);
                  w.resolve(event);
                }
              }
            }
          }
        });
        resolve(stream);
      },
    );
    req.on("error", (err) => reject(err));
    const stream: EventStream = {
      events: [],
      heartbeats: 0,
      waitFor(predicate, timeoutMs = 15_000) {
        const found = stream.events.find(predicate);
        if (found) return Promise.resolve(found);
        return new Promise((res, rej) => {
          const waiter = { predicate, resolve: (e: AgentEvent) => (clearTimeout(timer), res(e)) };
          const timer = setTimeout(() => {
            waiters.splice(waiters.indexOf(waiter), 1);
            rej(new Error(`no matching event within ${timeoutMs} ms; got ${JSON.stringify(stream.events.map((e) => e.type))}`));
          }, timeoutMs);
          waiters.push(waiter);
        });
      },
      close: () => req.destroy(),
    };
  });
}
