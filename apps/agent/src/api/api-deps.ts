import type { IncomingMessage, ServerResponse } from "node:http";
import type { HostPort } from "../config/host-port";
import type { QsdSupervisor } from "../engine/qsd-supervisor";
import type { StorageContext } from "../engine/storage-context";
import type { EventLog } from "../events/event-log";
import type { Logger } from "../log";
import type { PoolRegistry } from "../pools/pool-registry";

/** Everything the API reads; narrow so tests can hand in small fakes. */
export interface ApiDeps {
  token: string;
  hostName: string;
  agentVersion: string;
  nbd: HostPort;
  qsd: Pick<QsdSupervisor, "status">;
  pools: Pick<PoolRegistry, "names" | "has" | "info">;
  events: Pick<EventLog, "bootId" | "latestSeq" | "oldestSeq" | "replayFrom" | "since" | "subscribe">;
  /** Volumes, snapshots, LUs and ALUA: the storage engine's context. */
  storage: StorageContext;
  log: Logger;
  /** Interval of SSE comment lines that keep proxies and clients from timing out. */
  heartbeatMs?: number;
}

export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  params: Record<string, string>;
  query: URLSearchParams;
  deps: ApiDeps;
}

export type RouteHandler = (ctx: RouteContext) => Promise<void> | void;
