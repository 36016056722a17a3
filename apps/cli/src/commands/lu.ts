import type { Command } from "commander";
import { z } from "zod";
import { aliasInput, guid, hostName, parseArgs, volumeRef } from "../args";
import { canAsk, confirm, requireConfirmable } from "../confirm";
import { CliError } from "../config";
import { accessState, fields, formatBytes, table } from "../output";
import { act, call, output } from "../run";

type Json = { json?: boolean };
type Target = Json & { host?: string; yes?: boolean; force?: boolean };

const createArgs = z.object({ volume: volumeRef, alias: aliasInput.optional(), guid: guid.optional(), standby: z.boolean().optional() });

export async function luCreate(opts: Json & { volume: string; alias?: string; guid?: string; standby?: boolean }) {
  const a = parseArgs(createArgs, opts, { volume: "--volume", alias: "--alias", guid: "--guid" });
  const lu = await call((api) => api.lu.create.mutate({ volume: a.volume, alias: a.alias, guid: a.guid, state: a.standby ? "standby" : "active" }));
  return output(
    lu,
    fields([
      ["GUID", lu.guid],
      ["URI", lu.uri ?? "- (not exported while Standby; `tandem lu import` makes it Active)"],
      ["Volume", `${lu.host}/${lu.volume}`],
      ["State", accessState(lu.state, lu.stateCode)],
      ["Alias", lu.alias ?? undefined],
    ]),
  );
}

export async function luList(_opts: Json) {
  const lus = await call((api) => api.lu.list.query());
  if (!lus.length) return output(lus, "No LUs. Export a volume with `tandem lu create --volume HOST/NAME`.");
  return output(
    lus,
    table(
      ["GUID", "ALIAS", "SIZE", "VOLUMES", "ACCESS STATE PER NODE", "URI"],
      lus.map((l) => [
        l.guid,
        l.alias ?? "-",
        formatBytes(l.sizeBytes),
        l.nodes.map((n) => `${n.host}/${n.volume}`).join(" "),
        l.nodes.map((n) => `${n.host}: ${accessState(n.accessState, n.stateCode)}${n.missing ? " (missing)" : ""}`).join("  "),
        l.nodes
          .map((n) => n.uri)
          .filter(Boolean)
          .join(" ") || "-",
      ]),
    ),
  );
}

function target(g: string, opts: Target) {
  return parseArgs(z.object({ guid, host: hostName.optional(), force: z.boolean().optional() }), { guid: g, host: opts.host, force: opts.force }, { guid: "GUID", host: "--host" });
}

/** On a terminal: the LU as the console knows it, to say what the question is about. */
async function describeTarget(t: { guid: string; host?: string }) {
  const lu = (await call((api) => api.lu.list.query())).find((l) => l.guid === t.guid);
  if (!lu) throw new CliError(`LU ${t.guid} does not exist`);
  if (!t.host && lu.nodes.length > 1) throw new CliError(`LU ${t.guid} exists on ${lu.nodes.map((n) => n.host).join(" and ")}: say which host (--host)`);
  const node = t.host ? lu.nodes.find((n) => n.host === t.host) : lu.nodes[0];
  if (!node) throw new CliError(`LU ${t.guid} on ${t.host} does not exist`);
  return `LU ${lu.guid}${lu.alias ? ` ("${lu.alias}")` : ""} on ${node.host} (volume ${node.host}/${node.volume}, now ${accessState(node.accessState, node.stateCode)})`;
}

export async function luStandby(g: string, opts: Target) {
  const t = target(g, opts);
  const what = `put LU ${t.guid} into Standby`;
  requireConfirmable(opts.yes, what);
  if (!opts.yes && canAsk()) await confirm({ what, prompt: `Put ${await describeTarget(t)} into Standby? Its clients lose access there.` });
  const r = (await call((api) => api.lu.standby.mutate({ guid: t.guid, host: t.host }))) as { guid: string; host: string; state: string; stateCode: number };
  return output(r, `LU ${r.guid} on ${r.host} is now ${accessState(r.state, r.stateCode)}`);
}

export async function luImport(g: string, opts: Target) {
  const t = target(g, opts);
  const r = (await call((api) => api.lu.import.mutate(t))) as { guid: string; host: string; state: string; stateCode: number; uri: string | null };
  return output(r, [`LU ${r.guid} on ${r.host} is now ${accessState(r.state, r.stateCode)}`, fields([["URI", r.uri ?? "-"]])].join("\n"));
}

export async function luDelete(g: string, opts: Target) {
  const t = target(g, opts);
  const what = `delete LU ${t.guid}`;
  requireConfirmable(opts.yes, what);
  if (!opts.yes && canAsk()) await confirm({ what, prompt: `Delete ${await describeTarget(t)}? Its clients lose it; the volume and its data stay.` });
  const r = (await call((api) => api.lu.delete.mutate({ guid: t.guid, host: t.host }))) as { guid: string; host: string };
  return output(r, `Deleted LU ${r.guid} on ${r.host}`);
}

export function registerLu(program: Command) {
  const lu = program
    .command("lu")
    .description("logical units: volumes exported to clients over NBD, with an ALUA access state per node")
    .addHelpText(
      "after",
      "\nALUA access states: 0 Active (serves clients), 1 Transition to Active, 2 Standby (not exported), 3 Transition to Standby.",
    );
  const g = ["<guid>", "the LU's GUID: 32 hex digits starting with 6"] as const;
  const host = ["--host <host>", "which host's copy, when the GUID is on both hosts of a pair"] as const;

  lu.command("create")
    .description("export a volume as an LU; prints its GUID and NBD URI")
    .requiredOption("--volume <volume>", "volume as HOST/NAME, e.g. h1/db-data")
    .option("--alias <alias>", "a label for people, up to 64 characters")
    .option("--guid <guid>", "use this GUID (e.g. the peer copy's GUID of a mirrored LU); default: a new one")
    .option("--standby", "create it in Standby (not exported): the target copy of a mirrored LU")
    .option("--json", "print the result as JSON")
    .action(act(luCreate));

  lu.command("list").description("list LUs: GUID, alias, access state per node with its code, URI").option("--json", "print JSON").action(act(luList));

  lu.command("standby")
    .description("move an LU's copy on a host to Standby: its export is removed and clients lose access")
    .argument(...g)
    .option(...host)
    .option("-y, --yes", "do not ask for confirmation (needed without a terminal)")
    .option("--json", "print the result as JSON")
    .action(act(luStandby));

  lu.command("import")
    .description("make an LU's copy on a host Active (exported); the peer's copy of the same GUID goes to Standby")
    .argument(...g)
    .option("--host <host>", "which host's copy (default: the Standby copy when the GUID is on two hosts)")
    .option("--force", "go Active even if the peer cannot be told to go Standby (risk: two Active copies)")
    .option("--json", "print the result as JSON")
    .action(act(luImport));

  lu.command("delete")
    .description("remove an LU from a host (admin); the volume and its data stay")
    .argument(...g)
    .option(...host)
    .option("-y, --yes", "do not ask for confirmation (needed without a terminal)")
    .option("--json", "print the result as JSON")
    .action(act(luDelete));
}
