// mirror reverse / verify: the plan is printed and confirmed before anything changes; --wait
// follows the operation step by step.
import type { Command } from "commander";
import { z } from "zod";
import { parseArgs, resourceName } from "../args";
import type { Api } from "../client";
import { canAsk, confirm, requireConfirmable } from "../confirm";
import { CliError } from "../config";
import { formatBytes } from "../output";
import { act, call, output } from "../run";

type Plan = Awaited<ReturnType<Api["mirror"]["plan"]["query"]>>;
type Operation = Awaited<ReturnType<Api["operation"]["get"]["query"]>>;
type Detail = Awaited<ReturnType<Api["mirror"]["get"]["query"]>>;

const nameArg = z.object({ name: resourceName });

export function planText(p: Plan): string {
  const lines = [`Plan: ${p.kind} of mirror ${p.mirror}`, `  ${p.direction.sentence}`, "", "Preflight:"];
  for (const c of p.checks) lines.push(`  [${c.ok ? "pass" : "FAIL"}] ${c.name}: ${c.reason}`);
  lines.push("", "Steps:");
  p.steps.forEach((s, i) => lines.push(`  ${i + 1}. ${s}`));
  lines.push("", `Data to copy: ${p.bytesToCopy < 0 ? "measured by the compare step" : formatBytes(p.bytesToCopy)}`, `Client outage: ${p.expectedOutage}`, `Discarded: ${p.discards}`);
  if (p.safetySnapshot.offered) lines.push(`Safety snapshot: offered (${p.safetySnapshot.reason})`);
  return lines.join("\n");
}

/** Follows an operation to its end, printing each step as it starts and ends (on stderr). */
export async function followSteps(name: string, operationId: string): Promise<Operation> {
  const said = new Map<string, string>();
  for (;;) {
    const [op, d] = await call((api) => Promise.all([api.operation.get.query({ id: operationId }), api.mirror.get.query({ name }).catch(() => null as Detail | null)]));
    const steps = d?.operations.find((o) => o.id === operationId)?.steps ?? [];
    for (const s of steps) {
      if (s.status === "pending" || said.get(s.name) === s.status) continue;
      said.set(s.name, s.status);
      const took = s.startedAt && s.finishedAt ? ` (${((Date.parse(s.finishedAt) - Date.parse(s.startedAt)) / 1000).toFixed(2)} s)` : "";
      const bytes = s.bytesTotal ? ` ${formatBytes(s.bytesDone)}/${formatBytes(s.bytesTotal)}` : "";
      process.stderr.write(`  ${s.status.padEnd(9)} ${s.title}${bytes}${took}${s.error ? `: ${s.error}` : ""}\n`);
    }
    if (op.status === "succeeded" || op.status === "failed" || op.status === "cancelled") return op;
    await new Promise((r) => setTimeout(r, 250));
  }
}

type ReverseOpts = { json?: boolean; yes?: boolean; wait?: boolean; noVerify?: boolean; verify?: boolean; reason?: string };

export async function mirrorReverse(name: string, opts: ReverseOpts) {
  const a = parseArgs(nameArg, { name }, { name: "NAME" });
  requireConfirmable(opts.yes, `reverse mirror ${a.name}`);
  const plan = await call((api) => api.mirror.plan.query({ name: a.name, kind: "reverse" }));
  if (!opts.json || !opts.yes) process.stderr.write(planText(plan) + "\n\n");
  if (!plan.ready) throw new CliError(`cannot reverse ${a.name}: ${plan.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.reason}`).join("; ")}`);
  if (!opts.yes && canAsk()) await confirm({ what: `reverse mirror ${a.name}`, prompt: `Reverse mirror ${a.name}? ${plan.direction.sentence}.`, typeToConfirm: a.name });
  const r = await call((api) => api.mirror.reverse.mutate({ name: a.name, verify: opts.verify !== false, reason: opts.reason }));
  if (!opts.wait) return output({ operationId: r.operationId }, `Reversing mirror ${a.name}: operation ${r.operationId}; follow it with \`tandem operation show ${r.operationId}\``);
  const op = await followSteps(a.name, r.operationId);
  if (op.status !== "succeeded") throw new CliError(`reversal of ${a.name} failed: ${op.error ?? op.status}`);
  const res = op.result as { from: string; to: string; epoch: number; outageMs: number | null; bytesRecopied: number; verification: unknown };
  return output({ operationId: r.operationId, ...res }, `Reversed ${a.name}: data now flows FROM ${res.from} TO ${res.to} (epoch ${res.epoch}); client outage ${res.outageMs ?? "?"} ms; ${formatBytes(res.bytesRecopied)} copied again; verified: ${typeof res.verification === "object" ? "equal" : res.verification}`);
}

type FailoverOpts = { json?: boolean; yes?: boolean; wait?: boolean; reason?: string; force?: boolean };

export async function mirrorFailover(name: string, opts: FailoverOpts) {
  const a = parseArgs(z.object({ name: resourceName, reason: z.string().trim().min(3, "say why: --reason TEXT (it goes into the audit log)") }), { name, reason: opts.reason ?? "" }, { name: "NAME", reason: "--reason" });
  requireConfirmable(opts.yes, `fail over mirror ${a.name}`);
  const plan = await call((api) => api.mirror.plan.query({ name: a.name, kind: "failover" }));
  if (!opts.json || !opts.yes) process.stderr.write(planText(plan) + "\n\n");
  if (!plan.ready) throw new CliError(`cannot fail over ${a.name}: ${plan.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.reason}`).join("; ")}`);
  if (!opts.yes && canAsk()) await confirm({ what: `fail over mirror ${a.name}`, prompt: `Fail over mirror ${a.name}? ${plan.direction.sentence}.`, typeToConfirm: a.name });
  const r = await call((api) => api.mirror.failover.mutate({ name: a.name, reason: a.reason, force: Boolean(opts.force) }));
  if (!opts.wait) return output({ operationId: r.operationId }, `Failing over mirror ${a.name}: operation ${r.operationId}`);
  const op = await followSteps(a.name, r.operationId);
  if (op.status !== "succeeded") throw new CliError(`failover of ${a.name} failed: ${op.error ?? op.status}`);
  const res = op.result as { servedBy: string; uri: string | null; epoch: number; oldSourceReachable: boolean };
  return output({ operationId: r.operationId, ...res }, `Failed over ${a.name}: ${res.servedBy} serves clients at ${res.uri ?? "(no LU)"} (epoch ${res.epoch})${res.oldSourceReachable ? "" : "; the old source was unreachable and will be held in Standby"}`);
}

type FailbackOpts = { json?: boolean; yes?: boolean; wait?: boolean; safetySnapshot?: boolean; reverse?: boolean; verify?: boolean; reason?: string };

export async function mirrorFailback(name: string, opts: FailbackOpts) {
  const a = parseArgs(nameArg, { name }, { name: "NAME" });
  requireConfirmable(opts.yes, `fail back mirror ${a.name}`);
  // The plan measures, before anything is overwritten, what the old source holds that never reached the other side.
  const plan = await call((api) => api.mirror.plan.query({ name: a.name, kind: "failback" }));
  if (!opts.json || !opts.yes) process.stderr.write(planText(plan) + "\n\n");
  if (!plan.ready) throw new CliError(`cannot fail back ${a.name}: ${plan.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.reason}`).join("; ")}`);
  if (!opts.yes && canAsk()) await confirm({ what: `fail back mirror ${a.name}`, prompt: `Fail back mirror ${a.name}? ${plan.discards}${opts.safetySnapshot ? " (a safety snapshot is taken first)" : ""}.`, typeToConfirm: a.name });
  const r = await call((api) => api.mirror.failback.mutate({ name: a.name, safetySnapshot: Boolean(opts.safetySnapshot), reverse: Boolean(opts.reverse), verify: opts.verify !== false, reason: opts.reason }));
  if (!opts.wait) return output({ operationId: r.operationId }, `Failing back mirror ${a.name}: operation ${r.operationId}`);
  const op = await followSteps(a.name, r.operationId);
  if (op.status !== "succeeded") throw new CliError(`failback of ${a.name} failed: ${op.error ?? op.status}`);
  const res = op.result as { from: string; to: string; divergentBytes: number; bytesCopied: number; safetySnapshot: string | null };
  return output(
    { operationId: r.operationId, ...res },
    `Failed back ${a.name}: data flows FROM ${res.from} TO ${res.to}; ${formatBytes(res.divergentBytes)} of divergent data replaced, ${formatBytes(res.bytesCopied)} copied${res.safetySnapshot ? `; safety snapshot ${res.safetySnapshot}` : ""}${opts.reverse ? "; a planned reversal back is queued" : ""}`,
  );
}

export async function mirrorVerify(name: string, opts: { json?: boolean; chunk?: string }) {
  const a = parseArgs(nameArg, { name }, { name: "NAME" });
  const r = await call((api) => api.mirror.verify.mutate({ name: a.name }));
  const text = r.equal
    ? `${a.name}: ${r.source} and ${r.target} are equal (${r.chunks} chunks of ${formatBytes(r.chunkBytes)}, ${r.seconds.toFixed(1)} s)`
    : `${a.name}: ${r.source} and ${r.target} DIFFER in ${r.differingRanges.length} range(s), ${formatBytes(r.differingBytes)}:\n` +
      r.differingRanges.slice(0, 20).map((x) => `  offset ${x.offset} length ${x.length}`).join("\n");
  if (!r.equal && !opts.json) {
    process.stdout.write(text + "\n");
    throw new CliError(`${a.name}: the sides differ`);
  }
  return output(r, text);
}

export function registerMirrorMoves(mirror: Command) {
  mirror
    .command("reverse")
    .description("planned reversal: swap the mirror's direction (the LU moves to the other host, nothing is copied again)")
    .argument("<name>", "mirror name")
    .option("-y, --yes", "do not ask (needed without a terminal)")
    .option("--wait", "follow the operation step by step")
    .option("--no-verify", "skip the checksum comparison at the end (very large volumes)")
    .option("--reason <text>", "why, for the audit log")
    .option("--json", "print the result as JSON")
    .addHelpText("after", "\nWithout --yes the plan (preflight, steps, outage) is printed and you type the mirror's name to go ahead.")
    .action(act(mirrorReverse));
  mirror
    .command("failover")
    .description("fail over: fence the source, promote the target (overlay) and make its LU Active")
    .argument("<name>", "mirror name")
    .requiredOption("--reason <text>", "why (required; goes into the audit log)")
    .option("--force", "fail over although the source host is still online (its LU is demoted)")
    .option("-y, --yes", "do not ask (needed without a terminal)")
    .option("--wait", "follow the operation step by step")
    .option("--json", "print the result as JSON")
    .action(act(mirrorFailover));
  mirror
    .command("failback")
    .description("fail back: copy only what differs to the returned old source, then mirror every write since promotion to it")
    .argument("<name>", "mirror name")
    .option("--safety-snapshot", "snapshot the old source before any of its data is overwritten")
    .option("--reverse", "afterwards, reverse back to the original direction (a planned reversal)")
    .option("--no-verify", "skip the checksum comparison at the end")
    .option("--reason <text>", "why, for the audit log")
    .option("-y, --yes", "do not ask (needed without a terminal)")
    .option("--wait", "follow the operation step by step")
    .option("--json", "print the result as JSON")
    .addHelpText("after", "\nThe plan printed first says how much data on the old source never reached the other side (it will be replaced).")
    .action(act(mirrorFailback));
  mirror
    .command("verify")
    .description("compare both sides chunk by chunk (SHA-256 over NBD); exit 1 when they differ")
    .argument("<name>", "mirror name")
    .option("--json", "print JSON: equal, differingRanges, …")
    .action(act(mirrorVerify));
}

export function registerAudit(program: Command) {
  const audit = program.command("audit").description("the append-only, hash-chained audit log");
  audit
    .command("list")
    .description("recent audit records: who, when, what, why, manual or automatic")
    .option("--limit <n>", "how many", "30")
    .option("--json", "print JSON")
    .action(
      act(async (opts: { limit?: string; json?: boolean }) => {
        const limit = parseArgs(z.object({ limit: z.coerce.number().int().min(1).max(1000) }), { limit: opts.limit ?? "30" }, { limit: "--limit" }).limit;
        const rows = await call((api) => api.audit.list.query({ limit }));
        return output(rows, rows.map((r) => `${r.seq}  ${r.at}  ${r.actor}  ${r.manual ? "manual" : "auto"}  ${r.action}  ${r.subject}${r.reason ? `  (${r.reason})` : ""}`).join("\n"));
      }),
    );
  audit
    .command("verify")
    .description("check the hash chain: exit 1 if a record was changed or removed")
    .option("--json", "print JSON")
    .action(
      act(async (opts: { json?: boolean }) => {
        const r = await call((api) => api.audit.verify.query());
        if (!r.ok) {
          if (!opts.json) process.stdout.write(r.problems.map((p) => `record ${p.seq}: ${p.problem}`).join("\n") + "\n");
          throw new CliError(`audit log: ${r.problems.length} problem(s) in ${r.checked} records`);
        }
        return output(r, `audit log intact: ${r.checked} records, chain verified`);
      }),
    );
}
