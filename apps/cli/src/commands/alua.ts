import type { Command } from "commander";
import { z } from "zod";
import { nodeAssignments, onOff, parseArgs, resourceName } from "../args";
import { table } from "../output";
import { act, call, output } from "../run";

type Json = { json?: boolean };

export async function aluaGet(_opts: Json) {
  const pairs = await call((api) => api.alua.get.query());
  if (!pairs.length) return output(pairs, "No host pairs.");
  const text = pairs.map((p) => {
    const rows = p.hosts.map((h) => {
      const a = h.agent;
      const onAgent = a ? `${a.enabled ? "enabled" : "disabled"}, node ${a.nodeId}, peer ${a.peer ?? "-"}` : "unknown (no answer from the agent)";
      const differs = a && (a.enabled !== p.aluaEnabled || a.nodeId !== h.nodeId) ? "  ! differs from the console" : "";
      return [h.name, h.status, h.nodeId === null ? "-" : String(h.nodeId), onAgent + differs];
    });
    return `Pair ${p.name}: ALUA ${p.aluaEnabled ? "enabled" : "disabled"}\n` + table(["HOST", "STATUS", "NODE ID", "ON THE AGENT"], rows);
  });
  return output(pairs, text.join("\n\n"));
}

const setArgs = z.object({ enabled: onOff, node: nodeAssignments, pair: resourceName.optional() });

export async function aluaSet(opts: Json & { enabled: string; node?: string[]; pair?: string }) {
  const a = parseArgs(setArgs, { enabled: opts.enabled, node: opts.node ?? [], pair: opts.pair }, { enabled: "--enabled", node: "--node", pair: "--pair" });
  const r = (await call((api) =>
    api.alua.set.mutate({ enabled: a.enabled, pair: a.pair, nodeIds: Object.keys(a.node).length ? a.node : undefined }),
  )) as { enabled: boolean; nodes: { host: string; nodeId: number }[] };
  return output(r, `ALUA ${r.enabled ? "enabled" : "disabled"}; ${r.nodes.map((n) => `${n.host}: node ${n.nodeId}`).join(", ")}`);
}

export function registerAlua(program: Command) {
  const alua = program.command("alua").description("ALUA settings of host pairs (node ids 0 and 1, enabled or not)");

  alua.command("get").description("show each host pair's ALUA settings, as the console and each agent see them").option("--json", "print JSON").action(act(aluaGet));

  alua
    .command("set")
    .description("turn ALUA on or off for a host pair and set node ids (admin)")
    .requiredOption("--enabled <on|off>", "on or off")
    .option("--node <host=id>", "node id of a host, 0 or 1; repeat for both hosts (default: the current ids)", (v: string, prev: string[] = []) => [...prev, v])
    .option("--pair <pair>", "host pair (needed only when there is more than one)")
    .option("--json", "print the result as JSON")
    .addHelpText("after", "\nExample:\n  tandem alua set --enabled on --node h1=0 --node h2=1")
    .action(act(aluaSet));
}
