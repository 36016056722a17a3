import type { Command } from "commander";
import { table, formatBytes, ago } from "../output";
import { act, call, output } from "../run";

export async function hostList(_opts: { json?: boolean }) {
  const hosts = await call((api) => api.host.list.query());
  return output(
    hosts,
    table(
      ["NAME", "STATUS", "AGENT", "NBD", "QSD", "FREE/CAPACITY", "LAST SEEN"],
      hosts.map((h) => [
        h.name,
        h.status + (h.status !== "online" && h.statusReason ? ` (${h.statusReason})` : ""),
        h.agentUrl,
        h.nbdAddress ?? "-",
        h.qsdVersion ?? "-",
        `${formatBytes(h.freeBytes)}/${formatBytes(h.capacityBytes)}`,
        h.status === "online" ? "now" : ago(h.lastSeenAt),
      ]),
    ),
  );
}

export function registerHost(program: Command) {
  const host = program.command("host").description("storage hosts");
  host
    .command("list")
    .description("list hosts with their status, addresses, engine version and capacity")
    .option("--json", "print JSON")
    .action(act(hostList));
}
