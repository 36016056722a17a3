import { createAgentClient } from "./agent-client";
import { createAgentStorage } from "./agent-storage";
import type { HostRef } from "@/server/services/deps";

export const agentFactories = {
  agentFor: createAgentClient,
  storageFor: (h: HostRef) => createAgentStorage({ url: h.agentUrl, token: h.agentToken }, h.name),
};
