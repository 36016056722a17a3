import type { Command } from "commander";
import { z } from "zod";
import { parseArgs, resourceName, sizeInput, volumeRef } from "../args";
import { confirm, requireConfirmable, canAsk } from "../confirm";
import { CliError } from "../config";
import { accessState, formatBytes, table, fields, when } from "../output";
import { act, call, output } from "../run";

type Json = { json?: boolean };

const createArgs = z.object({ host: resourceName, name: resourceName, size: sizeInput, pool: resourceName.optional() });

export async function volumeCreate(opts: Json & { host: string; name: string; size: string; pool?: string }) {
  const input = parseArgs(createArgs, opts, { host: "--host", name: "--name", size: "--size", pool: "--pool" });
  const v = await call((api) => api.volume.create.mutate(input));
  return output(v, `Created volume ${v.host}/${v.name}: ${formatBytes(v.sizeBytes)} in pool ${v.pool}`);
}

export async function volumeList(_opts: Json) {
  const vols = await call((api) => api.volume.list.query());
  if (!vols.length) return output(vols, "No volumes. Create one with `tandem volume create --host H --name N --size 10G`.");
  return output(
    vols,
    table(
      ["VOLUME", "POOL", "SIZE", "ALLOCATED", "SNAPSHOTS", "LU", "NOTE"],
      vols.map((v) => [v.ref, v.pool, formatBytes(v.sizeBytes), formatBytes(v.allocatedBytes), String(v.snapshotCount), v.lu?.guid ?? "-", v.missing ? "missing on host" : ""]),
    ),
  );
}

async function getVolume(ref: string) {
  const volume = parseArgs(z.object({ volume: volumeRef }), { volume: ref }, { volume: "VOLUME" }).volume;
  return call((api) => api.volume.get.query({ volume }));
}

export async function volumeShow(ref: string, _opts: Json) {
  const v = await getVolume(ref);
  const lines = [
    fields([
      ["Volume", v.ref],
      ["Pool", v.pool],
      ["Size", `${formatBytes(v.sizeBytes)} (${v.sizeBytes} bytes)`],
      ["Allocated", formatBytes(v.allocatedBytes)],
      ["LU", v.lu ? `${v.lu.guid}, ${accessState(v.lu.accessState)}` : "-"],
      ["Created", when(v.createdAt)],
      ["Missing", v.missing ? "yes: the host no longer has it" : undefined],
    ]),
    "",
    v.snapshots.length
      ? table(
          ["SNAPSHOT", "SIZE", "TAKEN"],
          v.snapshots.map((s) => [s.name, formatBytes(s.sizeBytes), when(s.takenAt)]),
        )
      : "No snapshots.",
  ];
  if (v.drift.length) lines.push("", "Drift:", ...v.drift.map((d) => `  ${d}`));
  return output(v, lines.join("\n"));
}

export async function volumeResize(ref: string, opts: Json & { size: string }) {
  const input = parseArgs(z.object({ volume: volumeRef, size: sizeInput }), { volume: ref, size: opts.size }, { volume: "VOLUME", size: "--size" });
  const r = (await call((api) => api.volume.resize.mutate(input))) as { host: string; name: string; sizeBytes: number };
  return output(r, `Volume ${r.host}/${r.name} is now ${formatBytes(r.sizeBytes)}`);
}

export async function volumeDelete(ref: string, opts: Json & { yes?: boolean }) {
  const { volume } = parseArgs(z.object({ volume: volumeRef }), { volume: ref }, { volume: "VOLUME" });
  requireConfirmable(opts.yes, `delete volume ${volume}`);
  if (!opts.yes && canAsk()) {
    const v = await call((api) => api.volume.get.query({ volume }));
    if (v.lu) throw new CliError(`${volume} is in use by LU ${v.lu.guid}: delete the LU first`);
    const snaps = v.snapshots.length ? ` and its ${v.snapshots.length} snapshot${v.snapshots.length === 1 ? "" : "s"}` : "";
    await confirm({
      what: `delete volume ${volume}`,
      prompt: `Delete volume ${volume} (${formatBytes(v.sizeBytes)})${snaps}? Its data is destroyed; this cannot be undone.`,
      typeToConfirm: volume,
    });
  }
  const r = await call((api) => api.volume.delete.mutate({ volume }));
  return output(r, `Deleted volume ${volume}`);
}

export function registerVolume(program: Command) {
  const volume = program.command("volume").description("volumes: thin qcow2 block devices on a host");

  volume
    .command("create")
    .description("create a volume on a host")
    .requiredOption("--host <host>", "host to create it on, e.g. h1")
    .requiredOption("--name <name>", "volume name: a-z, 0-9, '.', '_', '-' (1-63 characters)")
    .requiredOption("--size <size>", "virtual size: bytes or a number with K, M, G, T (binary), e.g. 512M, 10G")
    .option("--pool <pool>", "pool on the host (default: the host's first pool)")
    .option("--json", "print the result as JSON")
    .addHelpText("after", "\nExample:\n  tandem volume create --host h1 --name db-data --size 10G")
    .action(act(volumeCreate));

  volume.command("list").description("list all volumes on all hosts").option("--json", "print JSON").action(act(volumeList));

  volume
    .command("show")
    .description("show a volume with its snapshots, LU and any drift")
    .argument("<volume>", "volume as HOST/NAME, e.g. h1/db-data")
    .option("--json", "print JSON")
    .action(act(volumeShow));

  volume
    .command("resize")
    .description("grow a volume (volumes only grow)")
    .argument("<volume>", "volume as HOST/NAME")
    .requiredOption("--size <size>", "new virtual size, e.g. 20G; not smaller than now")
    .option("--json", "print the result as JSON")
    .action(act(volumeResize));

  volume
    .command("delete")
    .description("delete a volume and its snapshots (admin; it must not be exported as an LU)")
    .argument("<volume>", "volume as HOST/NAME")
    .option("-y, --yes", "do not ask for confirmation (needed without a terminal)")
    .option("--json", "print the result as JSON")
    .addHelpText("after", "\nOn a terminal you are asked to type HOST/NAME to confirm. Without a terminal, --yes is required.")
    .action(act(volumeDelete));
}
