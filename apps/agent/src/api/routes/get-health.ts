import { AGENT_API_VERSION, agentHealth, type AgentHealth, type PoolInfo } from "@tandem/contracts/agent";
import type { ApiDeps, RouteHandler } from "../api-deps";
import { sendJson } from "../respond";

export async function buildHealth(deps: ApiDeps): Promise<AgentHealth> {
  const { info, problem } = deps.qsd.status();
  // QSD up but its graph not rebuilt yet counts as not ready: exports are still missing.
  const qsdProblem = problem ?? deps.storage.qsd.problem();
  const problems = qsdProblem ? [qsdProblem] : [];
  const pools: PoolInfo[] = [];
  for (const name of deps.pools.names()) {
    try {
      pools.push(await deps.pools.info(name));
    } catch (err) {
      problems.push(`pool ${name} is unavailable: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
  // Parsed on the way out: a response that breaks the contract is our bug and must not leave.
  return agentHealth.parse({
    status: problems.length === 0 ? "ok" : "degraded",
    reason: problems.length === 0 ? null : problems.join("; "),
    hostName: deps.hostName,
    agentVersion: deps.agentVersion,
    apiVersion: AGENT_API_VERSION,
    qsd: info,
    nbd: deps.nbd,
    pools,
    time: new Date().toISOString(),
  });
}

export const getHealth: RouteHandler = async ({ res, deps }) => {
  sendJson(res, 200, await buildHealth(deps));
};
