"use client";
import { useState } from "react";
import Link from "next/link";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";
import { errorMessage } from "@/lib/errors";
import { formatAgo, formatBytes, formatDateTime } from "@/lib/format";
import { useCan } from "@/lib/use-role";
import { useNow } from "@/lib/use-now";
import type { LuItem } from "@/lib/api-types";
import { AccessStateBadge, ACCESS_STATE_INFO } from "@/components/ui/access-state-badge";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, PageHeader } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useToast } from "@/components/ui/toast";
import { UriLine } from "./lu-panel";

type Node = LuItem["nodes"][number];

export function LusView() {
  const trpc = useTRPC();
  const lus = useQuery(trpc.lu.list.queryOptions());
  const [open, setOpen] = useState<Set<string>>(new Set());
  const toggle = (guid: string) =>
    setOpen((s) => {
      const n = new Set(s);
      if (n.has(guid)) n.delete(guid);
      else n.add(guid);
      return n;
    });

  return (
    <>
      <PageHeader
        title="Logical units"
        description="Volumes exported to clients, by GUID. A mirrored LU has the same GUID on both nodes: Active on one, Standby on the other. States update live."
      />
      <div className="mb-4 flex flex-wrap items-center gap-2 text-xs text-slate-500 dark:text-slate-400" aria-label="ALUA access states">
        <span>ALUA states:</span>
        {Object.keys(ACCESS_STATE_INFO).map((s) => (
          <AccessStateBadge key={s} state={s} />
        ))}
      </div>
      {lus.isPending ? (
        <Card className="p-8 text-sm text-slate-500">Loading LUs…</Card>
      ) : lus.isError ? (
        <Card className="p-8 text-sm text-rose-600">Could not load LUs: {errorMessage(lus.error)}</Card>
      ) : lus.data.length === 0 ? (
        <Card className="p-10 text-center text-sm text-slate-500 dark:text-slate-400">
          <div className="font-medium text-slate-700 dark:text-slate-200">No LUs yet</div>
          <p className="mt-1">
            Open a volume on the{" "}
            <Link href="/volumes" className="text-sky-600 hover:underline dark:text-sky-400">
              Volumes
            </Link>{" "}
            page and choose “Export as LU”.
          </p>
        </Card>
      ) : (
        <Card className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-800 dark:bg-slate-900/60 dark:text-slate-400">
              <tr>
                <th className="w-10 px-2 py-3">
                  <span className="sr-only">Transitions</span>
                </th>
                <th className="px-4 py-3 font-medium">LU</th>
                <th className="px-4 py-3 text-right font-medium">Size</th>
                <th className="px-4 py-3 font-medium">Nodes</th>
              </tr>
            </thead>
            {lus.data.map((lu) => (
              <LuRows key={lu.guid} lu={lu} expanded={open.has(lu.guid)} onToggle={() => toggle(lu.guid)} />
            ))}
          </table>
        </Card>
      )}
    </>
  );
}

function LuRows({ lu, expanded, onToggle }: { lu: LuItem; expanded: boolean; onToggle: () => void }) {
  const historyId = `lu-history-${lu.guid}`;
  return (
    <tbody className="border-b border-slate-100 last:border-0 dark:border-slate-800" data-testid={`lu-row-${lu.guid}`}>
      <tr id={`lu-${lu.guid}`} className="scroll-mt-20 align-top hover:bg-slate-50/60 target:bg-sky-50/70 dark:hover:bg-slate-800/30 dark:target:bg-sky-500/5">
        <td className="px-2 py-3">
          <button
            type="button"
            onClick={onToggle}
            aria-expanded={expanded}
            aria-controls={historyId}
            aria-label={`${expanded ? "Hide" : "Show"} recent transitions of ${lu.guid}`}
            className="rounded p-1 text-slate-400 hover:bg-slate-100 hover:text-slate-700 dark:hover:bg-slate-800 dark:hover:text-slate-200"
          >
            <svg viewBox="0 0 20 20" fill="currentColor" className={`h-4 w-4 transition-transform ${expanded ? "rotate-90" : ""}`} aria-hidden>
              <path fillRule="evenodd" d="M7.21 14.77a.75.75 0 01.02-1.06L11.168 10 7.23 6.29a.75.75 0 111.04-1.08l4.5 4.25a.75.75 0 010 1.08l-4.5 4.25a.75.75 0 01-1.06-.02z" clipRule="evenodd" />
            </svg>
          </button>
        </td>
        <td className="px-4 py-3">
          <div className="font-mono text-xs text-slate-900 dark:text-slate-100" data-testid="lu-guid">
            {lu.guid}
          </div>
          <div className="mt-0.5 text-xs text-slate-500 dark:text-slate-400">{lu.alias || "no alias"}</div>
        </td>
        <td className="whitespace-nowrap px-4 py-3 text-right tabular-nums">{formatBytes(lu.sizeBytes)}</td>
        <td className="px-4 py-2">
          <div className="divide-y divide-slate-100 dark:divide-slate-800/70">
            {lu.nodes.map((n) => (
              <NodeLine key={n.hostId} lu={lu} node={n} />
            ))}
          </div>
        </td>
      </tr>
      {expanded && (
        <tr id={historyId} className="bg-slate-50/70 dark:bg-slate-900/40">
          <td />
          <td colSpan={3} className="px-4 pb-4 pt-1">
            <History guid={lu.guid} />
          </td>
        </tr>
      )}
    </tbody>
  );
}

function NodeLine({ lu, node }: { lu: LuItem; node: Node }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const toast = useToast();
  const { can } = useCan();
  const [confirmStandby, setConfirmStandby] = useState(false);
  const done = (what: string) => () => {
    void qc.invalidateQueries(trpc.lu.list.pathFilter());
    void qc.invalidateQueries(trpc.lu.history.queryFilter({ guid: lu.guid }));
    toast({ tone: "success", title: `${what} on ${node.host}`, body: `${node.host}/${node.volume}${lu.alias ? ` (${lu.alias})` : ""}` });
  };
  const standby = useMutation(trpc.lu.standby.mutationOptions({ onSuccess: () => (setConfirmStandby(false), done("LU put in Standby")()) }));
  const importLu = useMutation(trpc.lu.import.mutationOptions({ onSuccess: done("LU imported (Active)") }));
  const busy = standby.isPending || importLu.isPending;
  const canAct = can("operator");

  return (
    <div className="grid grid-cols-1 gap-2 py-2 md:grid-cols-[8.5rem_11.5rem_minmax(0,1fr)_auto] md:items-center md:gap-3" data-testid={`lu-node-${node.host}`}>
      <div>
        <div className="font-medium">
          {node.host}
          <span className="ml-1.5 rounded bg-slate-100 px-1.5 py-0.5 text-xs font-medium text-slate-600 dark:bg-slate-800 dark:text-slate-300" title="ALUA node id">
            node {node.nodeId ?? "–"}
          </span>
        </div>
        <Link href={`/volumes/${node.host}/${node.volume}`} className="text-xs text-slate-500 hover:text-sky-600 hover:underline dark:text-slate-400 dark:hover:text-sky-400">
          {node.host}/{node.volume}
        </Link>
      </div>
      <div className="flex flex-wrap items-center gap-1.5">
        <AccessStateBadge state={node.accessState} code={node.stateCode} title={`since ${formatDateTime(node.stateChangedAt)}`} />
        {node.missing && (
          <Badge tone="danger" title={`In Tandem's database but not reported by ${node.host}`}>
            missing
          </Badge>
        )}
      </div>
      <div className="min-w-0">
        {node.uri ? <UriLine uri={node.uri} compact /> : <span className="text-xs text-slate-400 dark:text-slate-500">no client export</span>}
      </div>
      <div className="flex justify-end gap-1">
        <Button
          size="sm"
          variant="secondary"
          onClick={() => setConfirmStandby(true)}
          disabled={!canAct || busy || node.accessState !== "active"}
          title={!canAct ? "Needs the operator role" : node.accessState !== "active" ? "Only an Active LU can go to Standby" : "Move this node's copy to Standby (2)"}
        >
          {standby.isPending ? "Standby…" : "Standby"}
        </Button>
        <Button
          size="sm"
          variant="secondary"
          onClick={() => importLu.mutate({ guid: lu.guid, host: node.host })}
          disabled={!canAct || busy || node.accessState !== "standby"}
          title={!canAct ? "Needs the operator role" : node.accessState !== "standby" ? "Only a Standby LU can be imported" : "Make this node's copy Active (0)"}
        >
          {importLu.isPending ? "Importing…" : "Import"}
        </Button>
      </div>
      {importLu.error && (
        <div className="md:col-span-4">
          <Alert tone="error">Import on {node.host} failed: {errorMessage(importLu.error)}</Alert>
        </div>
      )}
      <ConfirmDialog
        open={confirmStandby}
        onClose={() => {
          standby.reset();
          setConfirmStandby(false);
        }}
        title={`Put LU on ${node.host} in Standby?`}
        confirmLabel="Put in Standby"
        pendingLabel="Moving to Standby…"
        tone="primary"
        onConfirm={() => standby.mutate({ guid: lu.guid, host: node.host })}
        pending={standby.isPending}
        error={standby.error ? errorMessage(standby.error) : null}
        testId="standby-dialog"
      >
        <p>
          LU <span className="font-mono text-xs">{lu.guid}</span>
          {lu.alias ? ` (${lu.alias})` : ""} on {node.host} goes from Active · 0 through Transition to Standby · 3 to Standby · 2.
        </p>
        <p>
          Its client export is removed: clients connected {node.uri ? <>through <span className="font-mono text-xs">{node.uri}</span></> : "to it"} lose access until
          the LU is imported on a node again.
        </p>
      </ConfirmDialog>
    </div>
  );
}

function History({ guid }: { guid: string }) {
  const trpc = useTRPC();
  const history = useQuery(trpc.lu.history.queryOptions({ guid }));
  const now = useNow(10_000);
  if (history.isPending) return <div className="text-xs text-slate-500">Loading transitions…</div>;
  if (history.isError) return <div className="text-xs text-rose-600">Could not load transitions: {errorMessage(history.error)}</div>;
  if (!history.data.length) return <div className="text-xs text-slate-500 dark:text-slate-400">No transitions recorded yet.</div>;
  return (
    <div>
      <div className="mb-1.5 text-xs font-medium uppercase tracking-wide text-slate-500 dark:text-slate-400">Recent transitions</div>
      <ol className="space-y-1 text-xs" data-testid="lu-history">
        {history.data.slice(0, 10).map((h, i) => {
          const d = h.data as { from?: string; to?: string } | null;
          return (
            <li key={`${h.at}-${i}`} className="flex flex-wrap items-center gap-2">
              <time dateTime={h.at} className="w-44 flex-none tabular-nums text-slate-500 dark:text-slate-400" title={formatAgo(h.at, now)}>
                {formatDateTime(h.at)}
              </time>
              {d?.from && d?.to ? (
                <>
                  <span className="w-16 flex-none font-medium text-slate-700 dark:text-slate-200">{/ on ([^:\s]+):/.exec(h.message)?.[1] ?? ""}</span>
                  <span className="flex items-center gap-1.5">
                    <AccessStateBadge state={d.from} />
                    <span aria-hidden>→</span>
                    <span className="sr-only">to</span>
                    <AccessStateBadge state={d.to} />
                  </span>
                </>
              ) : (
                <span className="text-slate-600 dark:text-slate-300">{h.message}</span>
              )}
            </li>
          );
        })}
      </ol>
    </div>
  );
}

