import type { Command } from "commander";
import { z } from "zod";
import { autoFailover, description, mirrorMode, mirrorName, parseArgs, resourceName, rpoOrNone, rpoSeconds, speedLimit, volumeRef } from "../args";
import type { Api } from "../client";
import { canAsk, confirm, requireConfirmable } from "../confirm";
import { CliError, UsageError } from "../config";
import { duration, fields, formatBytes, rate, table, when } from "../output";
import { barLine, createProgress, rateMeter, type Progress } from "../progress";
import { act, call, output } from "../run";
import { registerMirrorMoves } from "./mirror-move";

type Json = { json?: boolean };
type MirrorDetail = Awaited<ReturnType<Api["mirror"]["get"]["query"]>>;
type Mirror = MirrorDetail["mirror"];
type MirrorOp = MirrorDetail["operations"][number];
type Operation = Awaited<ReturnType<Api["operation"]["get"]["query"]>>;

const nameArg = z.object({ name: resourceName });
const getMirror = (name: string) => call((api) => api.mirror.get.query({ name }));

// ---- how a mirror reads --------------------------------------------------------------------

const MODE_TEXT = { sync: "sync (every write reaches both sides before it completes; RPO 0)", async: "async (continuous background copy; RPO = lag)" };

const copying = (m: Mirror) => m.state === "syncing" || m.state === "resyncing" || m.progress.phase === "starting" || m.progress.phase === "copying";

function percent(p: number | null): string {
  return p === null ? "-" : p >= 99.95 && p < 100 ? "99.9%" : `${p.toFixed(p >= 10 || p === 0 ? 0 : 1)}%`;
}

function lag(m: Mirror): string {
  return `${formatBytes(m.lagBytes)}${m.lagSeconds !== null && m.lagBytes > 0 ? ` (${duration(m.lagSeconds)})` : ""}`;
}

/** PROGRESS/LAG: how far the copy is while copying, how far behind the target is after. */
function progressOrLag(m: Mirror): string {
  if (m.state === "uninitialized") return "-";
  if (copying(m)) return `${percent(m.progress.percent)}${m.progress.etaSeconds ? ` ETA ${duration(m.progress.etaSeconds)}` : ""}`;
  return `lag ${lag(m)}`;
}

const endpoint = (e: Mirror["source"]) => (e.hostStatus === "online" ? e.ref : `${e.ref} (host ${e.hostStatus})`);

function took(start: string | null, end: string | null): string {
  return start && end ? duration((Date.parse(end) - Date.parse(start)) / 1000) : "-";
}

function operationsText(ops: MirrorOp[]): string {
  if (!ops.length) return "No operations.";
  const blocks = ops.map((o) => {
    const head = `${o.kind}  ${o.status}  by ${o.actor}  ${when(o.createdAt)}${o.finishedAt ? `  took ${took(o.createdAt, o.finishedAt)}` : ""}${o.error ? `\n    error: ${o.error}` : ""}`;
    if (!o.steps.length) return `  ${head}`;
    const steps = table(
      ["STEP", "STATUS", "TOOK", "BYTES", "ERROR"],
      o.steps.map((s) => [
        s.title,
        s.status,
        took(s.startedAt, s.finishedAt),
        s.bytesTotal ? `${formatBytes(s.bytesDone)}/${formatBytes(s.bytesTotal)}` : s.bytesDone ? formatBytes(s.bytesDone) : "",
        s.error ?? "",
      ]),
    );
    return `  ${head}\n${steps.replace(/^/gm, "    ")}`;
  });
  return `Operations (newest first):\n${blocks.join("\n")}`;
}

// ---- list and show -------------------------------------------------------------------------

export async function mirrorList(_opts: Json) {
  const mirrors = await call((api) => api.mirror.list.query());
  if (!mirrors.length) return output(mirrors, "No mirrors. Create one with `tandem mirror create NAME --source H1/VOL --target H2/VOL`.");
  return output(
    mirrors,
    table(
      ["NAME", "SOURCE → TARGET", "MODE", "STATE", "HEALTH", "PROGRESS/LAG", "RATE"],
      mirrors.map((m) => [m.name, `${m.source.ref} → ${m.target.ref}`, m.mode, m.state, m.health.level, progressOrLag(m), rate(m.rateBytesPerSec)]),
    ),
  );
}

const AUTO_FAILOVER_HELP =
  "fail over by itself after this long (5s to 1h, e.g. 30s) when both the console and the target host have lost the source; off by default";

function autoFailoverText(seconds: number | null): string {
  return seconds === null ? "off (a person decides)" : `after ${duration(seconds)} without the source (console and target both)`;
}

export async function mirrorShow(name: string, _opts: Json) {
  const a = parseArgs(nameArg, { name }, { name: "NAME" });
  const d = await getMirror(a.name);
  const m = d.mirror;
  const p = m.progress;
  const text = [
    fields([
      ["Mirror", m.name],
      ["Description", m.description ?? undefined],
      ["Source", endpoint(m.source)],
      ["Target", endpoint(m.target)],
      ["Size", `${formatBytes(m.sizeBytes)} (${m.sizeBytes} bytes)`],
      ["Mode", MODE_TEXT[m.mode] ?? m.mode],
      ["Speed limit", m.speedLimitBytesPerSec ? `${formatBytes(m.speedLimitBytesPerSec)}/s` : "unlimited"],
      ["RPO target", m.rpoTargetSeconds === null ? "none" : duration(m.rpoTargetSeconds)],
      ["Auto failover", autoFailoverText(m.autoFailoverAfterSeconds)],
      ["Epoch", m.epoch],
      ["State", `${m.state}${m.stateReason ? `: ${m.stateReason}` : ""} (since ${when(m.stateChangedAt)})`],
      ["Health", `${m.health.level}: ${m.health.reason}`],
      ["Progress", p.totalBytes ? `${p.phase ?? "-"} ${percent(p.percent)} (${formatBytes(p.doneBytes)} of ${formatBytes(p.totalBytes)})${copying(m) && p.etaSeconds ? `, ETA ${duration(p.etaSeconds)}` : ""}` : "-"],
      ["Lag", m.state === "uninitialized" ? "-" : `${lag(m)}${m.converging ? "" : ", growing: not converging"}`],
      ["Rate", rate(m.rateBytesPerSec)],
      ["Last in sync", when(m.lastInSyncAt)],
      ["Created", when(m.createdAt)],
    ]),
    "",
    operationsText(d.operations),
  ];
  const events = d.events.slice(0, 5);
  if (events.length) text.push("", "Recent events:", ...events.map((e) => `  ${when(e.at)}  ${e.message}`));
  return output({ ...m, operations: d.operations, events: d.events }, text.join("\n"));
}

// ---- waiting for an operation --------------------------------------------------------------

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const finished = (s: string) => s === "succeeded" || s === "failed" || s === "cancelled";

/**
 * Polls `read` about four times a second until the operation has finished, showing `render`
 * on stderr meanwhile.
 * The console may blink (a restart): calls that fail are retried for up to 30 s. Ctrl-C stops
 * waiting, never the operation.
 */
async function follow<T>(opts: {
  operationId: string;
  /** What goes on when the user stops waiting, and where to follow it. */
  onStop: string;
  read: () => Promise<T>;
  op: (t: T) => Operation;
  render: (t: T) => { tty: string | ((width: number) => string); plain: string; key: string };
  intervalMs?: number;
}): Promise<{ last: T; progress: Progress }> {
  const progress = createProgress();
  const onInt = () => {
    progress.clear();
    process.stderr.write(`tandem: stopped waiting; ${opts.onStop}\n`);
    process.exit(1);
  };
  process.once("SIGINT", onInt);
  let lastOk = Date.now();
  try {
    for (;;) {
      let t: T;
      try {
        t = await opts.read();
        lastOk = Date.now();
      } catch (err) {
        if (Date.now() - lastOk > 30_000) {
          progress.clear();
          throw err;
        }
        const why = (err as Error).message;
        progress.update({ tty: `waiting for the console: ${why}`, plain: `waiting for the console: ${why}` }, "console");
        await sleep(1000);
        continue;
      }
      if (finished(opts.op(t).status)) return { last: t, progress };
      const r = opts.render(t);
      progress.update(r, r.key);
      await sleep(opts.intervalMs ?? 250);
    }
  } finally {
    process.off("SIGINT", onInt);
  }
}

/** The current step of an operation: the running one, else the first not yet done. */
function currentStep(steps: MirrorOp["steps"]) {
  const i = steps.findIndex((s) => s.status === "running");
  const j = i >= 0 ? i : steps.findIndex((s) => s.status !== "succeeded");
  return j >= 0 ? { step: steps[j]!, index: j } : null;
}

/**
 * A step that failed in a way worth retrying is tried again after a pause (the operation keeps
 * its last error meanwhile): say so, or the wait looks stuck.
 */
function retrying(op: Operation): string {
  return op.error ? `(attempt ${op.attempts}; last error: ${op.error})` : "";
}

const STEP_PHASE: Record<string, string> = { "prepare-target": "preparing target", "start-job": "starting job", "initial-sync": "copying" };

function createLine(name: string, op: Operation, d: MirrorDetail | null, measure: (bytes: number) => number) {
  const steps = d?.operations.find((o) => o.id === op.id)?.steps ?? [];
  const cur = currentStep(steps);
  const m = d?.mirror;
  let phase = op.status === "pending" && !op.startedAt ? "queued" : cur ? (STEP_PHASE[cur.step.name] ?? cur.step.title) : "starting";
  if (cur?.step.name === "initial-sync" && m?.progress.phase && m.progress.phase !== "ready") phase = m.progress.phase;
  // The step's counters are fresher (4 a second) than the mirror's (once a second).
  const sync = steps.find((s) => s.name === "initial-sync");
  const [done, total] = sync?.bytesTotal ? [sync.bytesDone, sync.bytesTotal] : m?.progress.totalBytes ? [m.progress.doneBytes, m.progress.totalBytes] : [0, 0];
  const pct = total > 0 ? Math.min(100, (done / total) * 100) : null;
  const measured = measure(done);
  const r = m?.rateBytesPerSec && m.rateBytesPerSec >= 1024 ? m.rateBytesPerSec : measured;
  const eta = total > 0 && r >= 1024 ? (total - done) / r : null;
  const bytes = total > 0 ? `${formatBytes(done)}/${formatBytes(total)}` : "";
  const extra = retrying(op);
  const rateText = rate(r) === "-" ? "" : rate(r);
  const etaText = eta !== null ? `ETA ${eta < 1 ? "<1s" : duration(Math.ceil(eta))}` : "";
  const pctText = pct === null ? "" : percent(pct);
  return {
    key: phase,
    tty: (width: number) => barLine(`${name}  ${phase.padEnd(16)}`, pct, [pctText.padStart(5), bytes, rateText, etaText, extra].filter(Boolean).join("  "), width),
    plain: `${name}: ${phase}${pctText ? ` ${pctText}` : ""}${bytes ? ` (${bytes})` : ""}${rateText ? `, ${rateText}` : ""}${etaText ? `, ${etaText}` : ""}${extra ? ` ${extra}` : ""}`,
  };
}

async function waitForInSync(name: string, operationId: string) {
  const measure = rateMeter();
  const started = Date.now();
  const read = () =>
    call((api) =>
      Promise.all([
        api.operation.get.query({ id: operationId }),
        // The mirror (for steps and the engine's numbers) is a nicety: its absence is no failure.
        api.mirror.get.query({ name }).catch(() => null),
      ]),
    );
  const { last, progress } = await follow({
    operationId,
    onStop: `mirror ${name} goes on initializing (operation ${operationId}): follow it with \`tandem mirror show ${name}\``,
    read,
    op: (t) => t[0],
    render: ([op, d]) => createLine(name, op, d, measure),
  });
  const [op] = last;
  if (op.status !== "succeeded") {
    progress.done();
    const d = await getMirror(name).catch(() => null);
    const left = d ? `; mirror ${name} is left ${d.mirror.state}: see \`tandem mirror show ${name}\`, delete it with \`tandem mirror delete ${name}\`` : "";
    throw new CliError(`mirror ${name} did not reach in_sync: operation ${op.id} ${op.status}: ${op.error ?? "no reason given"}${left}`);
  }
  const d = await getMirror(name);
  const m = d.mirror;
  if (m.state !== "in_sync" && m.state !== "lagging") {
    progress.done();
    throw new CliError(`the initial copy of mirror ${name} finished, but the mirror is now ${m.state}${m.stateReason ? `: ${m.stateReason}` : ""}`);
  }
  const secs = (Date.now() - started) / 1000;
  progress.done(
    progress.tty
      ? (width: number) => barLine(`${name}  ${m.state.padEnd(16)}`, 100, `100%  ${formatBytes(m.sizeBytes)}/${formatBytes(m.sizeBytes)}  in ${duration(secs)}`, width)
      : `${name}: ${m.state} 100% (${formatBytes(m.sizeBytes)}) in ${duration(secs)}`,
  );
  return { op, mirror: m, seconds: secs };
}

async function waitForOperationEnd(name: string, operationId: string, verb: string) {
  const read = () => call((api) => Promise.all([api.operation.get.query({ id: operationId }), api.mirror.get.query({ name }).catch(() => null)]));
  const { last, progress } = await follow({
    operationId,
    onStop: `${verb} mirror ${name} goes on (operation ${operationId}): follow it with \`tandem operation show ${operationId}\``,
    read,
    op: (t) => t[0],
    render: ([op, d]) => {
      const steps = d?.operations.find((o) => o.id === op.id)?.steps ?? [];
      const cur = currentStep(steps);
      const what = op.status === "pending" && !op.startedAt ? "queued" : cur ? `${cur.step.title} (step ${cur.index + 1}/${steps.length})${retrying(op) ? ` ${retrying(op)}` : ""}` : "finishing";
      const line = `${name}: ${verb}: ${what}`;
      return { tty: line, plain: line, key: what };
    },
  });
  const [op] = last;
  // The outcome is said next, on its own line; the step line is done with.
  progress.clear();
  if (op.status !== "succeeded") throw new CliError(`${verb} mirror ${name} failed: operation ${op.id} ${op.status}: ${op.error ?? "no reason given"}`);
  return op;
}

// ---- create, modify, pause, resume, delete -------------------------------------------------

const createArgs = z
  .object({
    name: mirrorName,
    source: volumeRef,
    target: volumeRef,
    createTarget: z.boolean(),
    mode: mirrorMode,
    speedLimit: speedLimit.optional(),
    rpo: rpoSeconds.optional(),
    autoFailover: autoFailover.optional(),
    description: description.optional(),
  })
  .superRefine((a, ctx) => {
    if (a.source.split("/")[0] === a.target.split("/")[0]) ctx.addIssue({ code: "custom", path: ["target"], message: `must be on another host than the source (${a.source})` });
  });

type CreateOpts = Json & { source: string; target: string; createTarget?: boolean; mode?: string; speedLimit?: string; rpo?: string; autoFailover?: string; description?: string; wait?: boolean };

export async function mirrorCreate(name: string, opts: CreateOpts) {
  const a = parseArgs(
    createArgs,
    { name, source: opts.source, target: opts.target, createTarget: Boolean(opts.createTarget), mode: opts.mode ?? "sync", speedLimit: opts.speedLimit, rpo: opts.rpo, autoFailover: opts.autoFailover, description: opts.description },
    { name: "NAME", source: "--source", target: "--target", mode: "--mode", speedLimit: "--speed-limit", rpo: "--rpo", autoFailover: "--auto-failover", description: "--description" },
  );
  const r = await call((api) =>
    api.mirror.create.mutate({
      name: a.name,
      source: a.source,
      target: a.target,
      createTarget: a.createTarget,
      mode: a.mode,
      speedLimit: a.speedLimit,
      rpoTargetSeconds: a.rpo,
      autoFailoverAfterSeconds: a.autoFailover,
      description: a.description || undefined,
    }),
  );
  const direction = `${a.source} → ${a.target} (${a.mode})`;
  if (!opts.wait) {
    return output(r, `Creating mirror ${r.name}: ${direction}; operation ${r.operationId}.\nFollow it with \`tandem mirror show ${r.name}\` (or add --wait next time).`);
  }
  const w = await waitForInSync(r.name, r.operationId);
  return output(
    { ...r, operation: { id: w.op.id, status: w.op.status, result: w.op.result }, mirror: w.mirror },
    `Mirror ${r.name} is ${w.mirror.state === "in_sync" ? "in sync" : w.mirror.state}: ${direction}; ${formatBytes(w.mirror.sizeBytes)} initialized in ${duration(w.seconds)}`,
  );
}

const modifyArgs = z.object({
  name: resourceName,
  mode: mirrorMode.optional(),
  speedLimit: speedLimit.optional(),
  rpo: rpoOrNone.optional(),
  autoFailover: autoFailover.optional(),
  description: description.optional(),
});

type ModifyOpts = Json & { mode?: string; speedLimit?: string; rpo?: string; autoFailover?: string; description?: string };

export async function mirrorModify(name: string, opts: ModifyOpts) {
  const a = parseArgs(
    modifyArgs,
    { name, mode: opts.mode, speedLimit: opts.speedLimit, rpo: opts.rpo, autoFailover: opts.autoFailover, description: opts.description },
    { name: "NAME", mode: "--mode", speedLimit: "--speed-limit", rpo: "--rpo", autoFailover: "--auto-failover", description: "--description" },
  );
  if (a.mode === undefined && a.speedLimit === undefined && a.rpo === undefined && a.autoFailover === undefined && a.description === undefined) {
    throw new UsageError("nothing to change: give at least one of --mode, --speed-limit, --rpo, --auto-failover, --description");
  }
  const r = await call((api) =>
    api.mirror.modify.mutate({
      name: a.name,
      mode: a.mode,
      speedLimit: a.speedLimit,
      rpoTargetSeconds: a.rpo,
      autoFailoverAfterSeconds: a.autoFailover,
      // An empty description clears it.
      description: a.description === undefined ? undefined : a.description || null,
    }),
  );
  if (!r.changed.length) return output(r, `Mirror ${r.name} already has those settings; nothing changed`);
  const said: Record<string, string> = {
    mode: `mode ${a.mode}`,
    speedLimitBytesPerSec: `speed limit ${a.speedLimit ? `${formatBytes(a.speedLimit)}/s` : "unlimited"}`,
    rpoTargetSeconds: `RPO target ${a.rpo === null || a.rpo === undefined ? "none" : duration(a.rpo)}`,
    autoFailoverAfterSeconds: `automatic failover ${autoFailoverText(a.autoFailover ?? null)}`,
    description: a.description ? `description "${a.description}"` : "description cleared",
  };
  const order = Object.keys(said);
  const changed = [...r.changed].sort((x, y) => (order.indexOf(x) + 1 || 99) - (order.indexOf(y) + 1 || 99));
  return output(r, `Modified mirror ${r.name}: ${changed.map((c) => said[c] ?? c).join(", ")}`);
}

export async function mirrorPause(name: string, _opts: Json) {
  const a = parseArgs(nameArg, { name }, { name: "NAME" });
  const r = (await call((api) => api.mirror.pause.mutate(a))) as { name: string; phase: string } | null;
  return output(r, `Mirror ${a.name} is paused: changes are tracked on the source and copied after \`tandem mirror resume ${a.name}\``);
}

export async function mirrorResume(name: string, _opts: Json) {
  const a = parseArgs(nameArg, { name }, { name: "NAME" });
  const r = (await call((api) => api.mirror.resume.mutate(a))) as { name: string; phase: string } | null;
  const how = r?.phase === "ready" ? "replicating" : r?.phase === "copying" || r?.phase === "starting" ? "copying what changed while paused" : (r?.phase ?? "resumed");
  return output(r, `Resumed mirror ${a.name}: ${how}`);
}

type DeleteOpts = Json & { deleteTarget?: boolean; yes?: boolean; wait?: boolean };

export async function mirrorDelete(name: string, opts: DeleteOpts) {
  const a = parseArgs(nameArg, { name }, { name: "NAME" });
  const what = `delete mirror ${a.name}`;
  requireConfirmable(opts.yes, what);
  // Unknown mirrors fail here, before any question is asked.
  const m = (await getMirror(a.name)).mirror;
  const target = opts.deleteTarget ? `target volume ${m.target.ref} is deleted with its data` : `target volume ${m.target.ref} is kept`;
  if (!opts.yes && canAsk()) {
    await confirm({
      what,
      prompt: `Delete mirror ${m.name} (${m.source.ref} → ${m.target.ref}, ${m.state})? Replication stops; ${target}${opts.deleteTarget ? " (this cannot be undone)" : ""}.`,
      typeToConfirm: m.name,
    });
  }
  // The router answers { operationId } (it does not wait); its declared type is `unknown`.
  const r = (await call((api) => api.mirror.delete.mutate({ name: a.name, deleteTarget: Boolean(opts.deleteTarget) }))) as { operationId: string };
  if (!opts.wait) return output(r, `Deleting mirror ${a.name}: operation ${r.operationId}; follow it with \`tandem operation show ${r.operationId}\` (or add --wait next time)`);
  const op = await waitForOperationEnd(a.name, r.operationId, "deleting");
  return output({ ...r, name: a.name, status: op.status, result: op.result, targetDeleted: Boolean(opts.deleteTarget) }, `Deleted mirror ${a.name}; ${target}`);
}

// ---- commands ------------------------------------------------------------------------------

export function registerMirror(program: Command) {
  const mirror: Command = program
    .command("mirror")
    .description("mirrors: a volume on one host copied to a volume on the other host of a pair, continuously")
    .addHelpText(
      "after",
      "\nStates: uninitialized → syncing → in_sync ⇄ lagging; paused, broken (link lost), failed_over, resyncing, reversing, error.\n" +
        "A volume is the source or the target of at most one mirror.",
    );
  const name = ["<name>", "mirror name"] as const;
  const wait = ["--wait", "stay until the operation ends, with live progress on stderr"] as const;

  mirror
    .command("create")
    .description("mirror a volume to a volume of the same size on the other host of its pair")
    .argument("<name>", "mirror name: a-z, 0-9, '.', '_', '-' (1-63 characters, starting with a letter)")
    .requiredOption("--source <host/volume>", "volume to mirror, as HOST/NAME, e.g. h1/db-data")
    .requiredOption("--target <host/volume>", "volume to copy it to, as HOST/NAME on the other host, e.g. h2/db-data")
    .option("--create-target", "create the target volume (same size as the source); without it, it must exist")
    .option("--mode <mode>", "sync: every write reaches both sides before it completes (RPO 0); async: background copy (RPO = lag)", "sync")
    .option("--speed-limit <rate>", "bytes per second for the background copy, e.g. 100M (= 100MiB/s); 0 = unlimited (default)")
    .option("--rpo <seconds>", "RPO target in seconds (or with s, m, h): health turns critical when the lag is longer")
    .option("--auto-failover <time>", AUTO_FAILOVER_HELP)
    .option("--description <text>", "a note for people, up to 500 characters")
    .option(...wait)
    .option("--json", "print the result as JSON")
    .addHelpText(
      "after",
      "\nWith --wait: a progress bar (phase, percent, rate, ETA) on stderr until the mirror is in sync;\n" +
        "exit 0 when it is, 1 with the operation's error when it fails. Ctrl-C stops waiting, not the operation.\n\n" +
        "Example:\n  tandem mirror create db --source h1/db-data --target h2/db-data --create-target --wait",
    )
    .action(act(mirrorCreate));

  mirror.command("list").description("list mirrors: direction, mode, state, health, copy progress or lag, rate").option("--json", "print JSON").action(act(mirrorList));

  mirror
    .command("show")
    .description("show a mirror: settings, state and health with their reasons, progress, lag, operations with their steps")
    .argument(...name)
    .option("--json", "print JSON (the mirror's fields, plus operations and events)")
    .action(act(mirrorShow));

  mirror
    .command("modify")
    .description("change a mirror's settings in place (mode and speed limit go to the engine without copying again)")
    .argument(...name)
    .option("--mode <mode>", "sync or async")
    .option("--speed-limit <rate>", "bytes per second for the background copy, e.g. 100M; 0 = unlimited")
    .option("--rpo <seconds>", "RPO target in seconds (or with s, m, h); none = no target")
    .option("--auto-failover <time>", `${AUTO_FAILOVER_HELP}; off = a person decides`)
    .option("--description <text>", "a note for people; \"\" clears it")
    .option("--json", "print the result as JSON")
    .addHelpText("after", "\nGive at least one setting. Example:\n  tandem mirror modify db --mode async --rpo 30")
    .action(act(mirrorModify));

  mirror
    .command("pause")
    .description("pause replication; the source keeps serving and tracks what changes")
    .argument(...name)
    .option("--json", "print the result as JSON")
    .action(act(mirrorPause));

  mirror.command("resume").description("resume a paused mirror; only what changed meanwhile is copied").argument(...name).option("--json", "print the result as JSON").action(act(mirrorResume));

  mirror
    .command("delete")
    .description("stop a mirror and remove it (admin); both volumes stay unless --delete-target")
    .argument(...name)
    .option("--delete-target", "also delete the target volume (and its Standby LU) with its data")
    .option("-y, --yes", "do not ask for confirmation (needed without a terminal)")
    .option(...wait)
    .option("--json", "print the result as JSON")
    .addHelpText("after", "\nOn a terminal you are asked to type the mirror's name to confirm. Without a terminal, --yes is required.")
    .action(act(mirrorDelete));
  registerMirrorMoves(mirror);
}
