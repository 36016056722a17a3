import type { Command } from "commander";
import { z } from "zod";
import { limit, parseArgs } from "../args";
import { fields, table, when } from "../output";
import { act, call, output } from "../run";

type Json = { json?: boolean };

function took(start: string | null, end: string | null): string {
  if (!start || !end) return "-";
  const ms = Date.parse(end) - Date.parse(start);
  return ms < 1000 ? `${ms}ms` : `${(ms / 1000).toFixed(1)}s`;
}

const oneLine = (s: string | null, max = 60) => {
  if (!s) return "";
  const t = s.replace(/\s+/g, " ");
  return t.length > max ? t.slice(0, max - 1) + "…" : t;
};

export async function operationList(opts: Json & { limit: string }) {
  const a = parseArgs(z.object({ limit }), { limit: opts.limit }, { limit: "--limit" });
  const ops = await call((api) => api.operation.list.query({ limit: a.limit }));
  if (!ops.length) return output(ops, "No operations yet.");
  return output(
    ops,
    table(
      ["ID", "KIND", "SUBJECT", "STATUS", "ACTOR", "CREATED", "TOOK", "ERROR"],
      ops.map((o) => [o.id, o.kind, o.subject, o.status, o.actor + (o.manual ? "" : " (auto)"), when(o.createdAt), took(o.startedAt, o.finishedAt), oneLine(o.error)]),
    ),
  );
}

export async function operationShow(id: string, _opts: Json) {
  const a = parseArgs(z.object({ id: z.string().trim().min(1, "must not be empty").max(64, "must be at most 64 characters") }), { id }, { id: "ID" });
  const o = await call((api) => api.operation.get.query({ id: a.id }));
  const text = fields([
    ["ID", o.id],
    ["Kind", o.kind],
    ["Subject", o.subject],
    ["Status", o.status],
    ["Actor", `${o.actor} (${o.manual ? "manual" : "automatic"})`],
    ["Reason", o.reason ?? undefined],
    ["Attempts", o.attempts],
    ["Created", when(o.createdAt)],
    ["Started", when(o.startedAt)],
    ["Finished", when(o.finishedAt)],
    ["Took", took(o.startedAt, o.finishedAt)],
    ["Error", o.error ?? undefined],
  ]);
  const result = o.result === null ? "" : `\nResult:\n${JSON.stringify(o.result, null, 2).replace(/^/gm, "  ")}`;
  return output(o, text + result);
}

export function registerOperation(program: Command) {
  const operation = program.command("operation").description("operations: every change Tandem made or is making, with its outcome");

  operation
    .command("list")
    .description("list recent operations, newest first")
    .option("--limit <n>", "how many, 1-500", "50")
    .option("--json", "print JSON")
    .action(act(operationList));

  operation.command("show").description("show one operation with its result or error").argument("<id>", "operation id (from `tandem operation list`)").option("--json", "print JSON").action(act(operationShow));
  operation
    .command("cancel")
    .description("cancel an operation that has not started a step yet (or waits between retries); a running step is never cut off")
    .argument("<id>", "operation id")
    .option("--reason <text>", "why, for the audit log")
    .option("--json", "print JSON")
    .action(
      act(async (id: string, opts: Json & { reason?: string }) => {
        const a = parseArgs(z.object({ id: z.string().min(1).max(64) }), { id }, { id: "ID" });
        const r = await call((api) => api.operation.cancel.mutate({ id: a.id, reason: opts.reason }));
        return output(r, `Cancelled operation ${r.id}`);
      }),
    );
}
