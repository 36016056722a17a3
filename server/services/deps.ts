import type { Db } from "@/server/db/client";
import type { Bus } from "@/server/realtime/bus";
import type { AgentClient, AgentTarget } from "@/server/agents/agent-client";
import type { AgentStorage } from "@/server/agents/agent-storage";

export type HostRef = { id: string; name: string; agentUrl: string; agentToken: string };

/** What services may use. Each service takes a `Pick<>` of it, so its needs are visible. */
export type Deps = {
  db: Db;
  bus: Bus;
  now: () => Date;
  agentFor: (target: AgentTarget) => AgentClient;
  storageFor: (host: HostRef) => AgentStorage;
};
