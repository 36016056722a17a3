import type { Command } from "commander";
import { z } from "zod";
import { parseArgs, resourceName, volumeRef } from "../args";
import { canAsk, confirm, requireConfirmable } from "../confirm";
import { CliError } from "../config";
import { formatBytes, table, when } from "../output";
import { act, call, output } from "../run";

type Json = { json?: boolean };

const labels = { volume: "VOLUME", snapshot: "SNAPSHOT", target: "NEWNAME" };
const snapArgs = z.object({ volume: volumeRef, snapshot: resourceName });

export async function snapshotCreate(ref: string, snap: string, _opts: Json) {
  const input = parseArgs(snapArgs, { volume: ref, snapshot: snap }, labels);
  const r = (await call((api) => api.snapshot.create.mutate(input))) as { snapshot: string; createdAt?: string };
  return output(r, `Created snapshot ${input.snapshot} of ${input.volume}${r?.createdAt ? ` at ${when(r.createdAt)}` : ""}`);
}

export async function snapshotList(ref: string, _opts: Json) {
  const { volume } = parseArgs(z.object({ volume: volumeRef }), { volume: ref }, labels);
  const v = await call((api) => api.volume.get.query({ volume }));
  if (!v.snapshots.length) return output(v.snapshots, `No snapshots of ${volume}.`);
  return output(
    v.snapshots,
    table(
      ["SNAPSHOT", "SIZE", "TAKEN"],
      v.snapshots.map((s) => [s.name, formatBytes(s.sizeBytes), when(s.takenAt)]),
    ),
  );
}

/** On a terminal, checks the snapshot exists before asking, so nobody confirms a typo. */
async function checkSnapshot(volume: string, snapshot: string) {
  const v = await call((api) => api.volume.get.query({ volume }));
  const s = v.snapshots.find((x) => x.name === snapshot);
  if (!s) throw new CliError(`snapshot ${snapshot} of ${volume} does not exist`);
  return { v, s };
}

export async function snapshotRevert(ref: string, snap: string, opts: Json & { yes?: boolean }) {
  const input = parseArgs(snapArgs, { volume: ref, snapshot: snap }, labels);
  const what = `revert ${input.volume} to snapshot ${input.snapshot}`;
  requireConfirmable(opts.yes, what);
  if (!opts.yes && canAsk()) {
    const { s } = await checkSnapshot(input.volume, input.snapshot);
    await confirm({
      what,
      prompt: `Revert ${input.volume} to snapshot ${input.snapshot} (taken ${when(s.takenAt)})? Everything written since is lost; clients of its LU see the old data.`,
      typeToConfirm: input.volume,
    });
  }
  const r = await call((api) => api.snapshot.revert.mutate(input));
  return output(r, `Reverted ${input.volume} to snapshot ${input.snapshot}`);
}

export async function snapshotClone(ref: string, snap: string, target: string, _opts: Json) {
  const input = parseArgs(snapArgs.extend({ target: resourceName }), { volume: ref, snapshot: snap, target }, labels);
  const r = (await call((api) => api.snapshot.clone.mutate(input))) as { host: string; name: string; sizeBytes: number };
  return output(r, `Cloned ${input.volume}@${input.snapshot} to new volume ${r.host}/${r.name} (${formatBytes(r.sizeBytes)})`);
}

export async function snapshotDelete(ref: string, snap: string, opts: Json & { yes?: boolean }) {
  const input = parseArgs(snapArgs, { volume: ref, snapshot: snap }, labels);
  const what = `delete snapshot ${input.snapshot} of ${input.volume}`;
  requireConfirmable(opts.yes, what);
  if (!opts.yes && canAsk()) {
    await checkSnapshot(input.volume, input.snapshot);
    await confirm({ what, prompt: `Delete snapshot ${input.snapshot} of ${input.volume}? This cannot be undone.`, typeToConfirm: input.snapshot });
  }
  const r = await call((api) => api.snapshot.delete.mutate(input));
  return output(r, `Deleted snapshot ${input.snapshot} of ${input.volume}`);
}

export function registerSnapshot(program: Command) {
  const snapshot = program.command("snapshot").description("point-in-time snapshots of a volume (kept inside its qcow2 image)");
  const vol = ["<volume>", "volume as HOST/NAME, e.g. h1/db-data"] as const;
  const snap = ["<snapshot>", "snapshot name: a-z, 0-9, '.', '_', '-'"] as const;

  snapshot.command("create").description("take a snapshot of a volume").argument(...vol).argument(...snap).option("--json", "print the result as JSON").action(act(snapshotCreate));

  snapshot.command("list").description("list a volume's snapshots, oldest first").argument(...vol).option("--json", "print JSON").action(act(snapshotList));

  snapshot
    .command("revert")
    .description("bring a volume back to a snapshot; writes since then are lost (admin)")
    .argument(...vol)
    .argument(...snap)
    .option("-y, --yes", "do not ask for confirmation (needed without a terminal)")
    .option("--json", "print the result as JSON")
    .addHelpText("after", "\nOn a terminal you are asked to type HOST/NAME of the volume to confirm. Without a terminal, --yes is required.")
    .action(act(snapshotRevert));

  snapshot
    .command("clone")
    .description("make a new volume on the same host from a snapshot")
    .argument(...vol)
    .argument(...snap)
    .argument("<newname>", "name of the new volume")
    .option("--json", "print the result as JSON")
    .action(act(snapshotClone));

  snapshot
    .command("delete")
    .description("delete a snapshot (admin)")
    .argument(...vol)
    .argument(...snap)
    .option("-y, --yes", "do not ask for confirmation (needed without a terminal)")
    .option("--json", "print the result as JSON")
    .addHelpText("after", "\nOn a terminal you are asked to type the snapshot's name to confirm. Without a terminal, --yes is required.")
    .action(act(snapshotDelete));
}
