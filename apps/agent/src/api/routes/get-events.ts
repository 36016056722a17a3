import { agentEvent, type AgentEvent } from "@tandem/contracts/agent";
import { z } from "zod";
import { badRequest } from "../api-error";
import type { RouteHandler } from "../api-deps";
import { zodMessage } from "../zod-message";

// Stricter than the contract's coerce: "", "1e3", "0x10" and " 5" are refused, not guessed.
const sinceValue = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,14})$/, "must be a whole number, 0 or more")
  .transform(Number);

/** A client that cannot keep up is dropped; it reconnects with `since` and loses nothing. */
const MAX_BUFFERED_BYTES = 1 << 20;

function parseSince(query: URLSearchParams, lastEventId: string | string[] | undefined): number | undefined {
  const values = query.getAll("since");
  if (values.length > 1) throw badRequest("since: give it at most once");
  // EventSource resends the last `id:` it saw in this header when it reconnects by itself.
  const raw = values[0] ?? (typeof lastEventId === "string" ? lastEventId : undefined);
  if (raw === undefined) return undefined;
  const parsed = sinceValue.safeParse(raw);
  if (!parsed.success) throw badRequest(zodMessage("since", parsed.error));
  return parsed.data;
}

/**
 * GET /v1/events?since=N: server-sent events. First a `hello` whose seq is where the replay
 * resumes, then retained events with seq > N, then live ones. `hello.data.missed` says that
 * events were lost (out of the replay window, or numbered by an earlier agent process):
 * the client must re-read full state.
 */
export const getEvents: RouteHandler = ({ req, res, query, deps }) => {
  const since = parseSince(query, req.headers["last-event-id"]);
  const { events } = deps;
  const latest = events.latestSeq;
  let resumeAfter = latest;
  let missed = false;
  if (since !== undefined && since > latest) {
    resumeAfter = 0;
    missed = true;
  } else if (since !== undefined) {
    resumeAfter = since;
    missed = since < events.replayFrom; // live-only events (progress) leave gaps that lose nothing
  }

  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-store",
    connection: "keep-alive",
    "x-accel-buffering": "no",
  });
  res.flushHeaders();

  let closed = false;
  const write = (event: AgentEvent) => {
    if (closed) return;
    res.write(`id: ${event.seq}\ndata: ${JSON.stringify(event)}\n\n`);
    if (res.writableLength > MAX_BUFFERED_BYTES) {
      deps.log.warn("dropping a slow event stream client", { buffered: res.writableLength });
      res.destroy();
    }
  };

  write(
    agentEvent.parse({
      seq: resumeAfter,
      time: new Date().toISOString(),
      type: "hello",
      data: {
        bootId: events.bootId,
        hostName: deps.hostName,
        agentVersion: deps.agentVersion,
        latestSeq: latest,
        oldestSeq: events.oldestSeq,
        missed,
      },
    }),
  );
  // Replay and subscribe in the same tick, so nothing published in between is lost.
  for (const event of events.since(resumeAfter)) write(event);
  const unsubscribe = events.subscribe(write);
  const heartbeat = setInterval(() => res.write(": heartbeat\n\n"), deps.heartbeatMs ?? 5_000);

  res.on("close", () => {
    closed = true;
    clearInterval(heartbeat);
    unsubscribe();
  });
};
