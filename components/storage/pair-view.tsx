"use client";
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";
import { errorCode, errorMessage } from "@/lib/errors";
import { useCan } from "@/lib/use-role";
import type { PairItem } from "@/lib/api-types";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, PageHeader } from "@/components/ui/card";
import { inputClass } from "@/components/ui/field";
import { StatusBadge } from "@/components/ui/status-badge";
import { Switch } from "@/components/ui/switch";
import { useToast } from "@/components/ui/toast";

type NodeId = 0 | 1;
type Draft = { enabled: boolean; nodeIds: Record<string, NodeId | null> };

export function PairView() {
  const trpc = useTRPC();
  const pairs = useQuery(trpc.alua.get.queryOptions());
  const { can, role } = useCan();
  return (
    <>
      <PageHeader
        title="Host pair"
        description="ALUA between the two hosts of a pair: each host has a node id (0 or 1), and importing an LU on one node moves the other node's copy to Standby."
      />
      {role && !can("admin") && (
        <Alert tone="info" className="mb-4" testId="pair-readonly">
          You are signed in as {role}: these settings are read-only. Only an admin can change them.
        </Alert>
      )}
      {pairs.isPending ? (
        <Card className="p-8 text-sm text-slate-500">Asking both agents for their ALUA settings…</Card>
      ) : pairs.isError ? (
        <Card className="p-8 text-sm text-rose-600">Could not load host pairs: {errorMessage(pairs.error)}</Card>
      ) : pairs.data.length === 0 ? (
        <Card className="p-10 text-center text-sm text-slate-500 dark:text-slate-400">
          <div className="font-medium text-slate-700 dark:text-slate-200">No host pair</div>
          <p className="mt-1">A pair is declared in the console&apos;s hosts file with two member hosts.</p>
        </Card>
      ) : (
        <div className="space-y-6">
          {pairs.data.map((p) => (
            <PairCard key={p.id} pair={p} editable={can("admin")} />
          ))}
        </div>
      )}
    </>
  );
}

function disagreements(pair: PairItem, draftless: { enabled: boolean }): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const h of pair.hosts) {
    const list: string[] = [];
    const peer = pair.hosts.find((x) => x.name !== h.name);
    if (!h.agent) list.push(`${h.name}'s agent did not answer, so what it uses is unknown`);
    else {
      if (h.agent.enabled !== draftless.enabled) list.push(`${h.name}'s agent has ALUA ${h.agent.enabled ? "enabled" : "disabled"}; Tandem has it ${draftless.enabled ? "enabled" : "disabled"}`);
      if ((draftless.enabled || h.agent.enabled) && h.nodeId !== null && h.agent.nodeId !== h.nodeId) list.push(`${h.name}'s agent uses node id ${h.agent.nodeId}; Tandem has ${h.nodeId}`);
      if (draftless.enabled && peer && h.agent.peer !== peer.name) list.push(`${h.name}'s agent has ${h.agent.peer ? `peer ${h.agent.peer}` : "no peer"}; expected ${peer.name}`);
    }
    if (list.length) out[h.name] = list;
  }
  return out;
}

function PairCard({ pair, editable }: { pair: PairItem; editable: boolean }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const toast = useToast();
  const [draft, setDraft] = useState<Draft | null>(null);
  const save = useMutation(
    trpc.alua.set.mutationOptions({
      onSuccess: () => {
        setDraft(null);
        void qc.invalidateQueries(trpc.alua.get.pathFilter());
        void qc.invalidateQueries(trpc.host.list.pathFilter());
        void qc.invalidateQueries(trpc.lu.list.pathFilter());
        toast({ tone: "success", title: `ALUA settings of ${pair.name} saved`, body: "Both agents were updated." });
      },
    }),
  );

  const enabled = draft?.enabled ?? pair.aluaEnabled;
  const nodeIdOf = (host: string) => (draft && host in draft.nodeIds ? draft.nodeIds[host]! : (pair.hosts.find((h) => h.name === host)?.nodeId as NodeId | null) ?? null);
  const current = (): Draft => ({ enabled, nodeIds: Object.fromEntries(pair.hosts.map((h) => [h.name, nodeIdOf(h.name)])) });
  const dirty = !!draft && (draft.enabled !== pair.aluaEnabled || pair.hosts.some((h) => nodeIdOf(h.name) !== h.nodeId));
  const ids = pair.hosts.map((h) => nodeIdOf(h.name));
  const complete = ids.every((x) => x === 0 || x === 1) && new Set(ids).size === ids.length;

  const setNode = (host: string, value: NodeId) => {
    const next = current();
    next.nodeIds[host] = value;
    // Two hosts, ids 0 and 1 once each: choosing one for a host gives the other host the other.
    if (pair.hosts.length === 2) for (const h of pair.hosts) if (h.name !== host) next.nodeIds[h.name] = (1 - value) as NodeId;
    setDraft(next);
  };

  const issues = disagreements(pair, { enabled: pair.aluaEnabled });
  const issueCount = Object.values(issues).flat().length;

  return (
    <Card data-testid={`pair-${pair.name}`}>
      <div className="flex flex-wrap items-center justify-between gap-4 border-b border-slate-200 px-5 py-3 dark:border-slate-800">
        <div className="flex items-center gap-3">
          <h2 className="text-base font-semibold tracking-tight">{pair.name}</h2>
          <Badge tone={pair.aluaEnabled ? "success" : "neutral"}>ALUA {pair.aluaEnabled ? "enabled" : "disabled"}</Badge>
          <span className="text-sm text-slate-500 dark:text-slate-400">{pair.hosts.map((h) => h.name).join(" ⇄ ")}</span>
        </div>
        {editable && (
          <div className="flex gap-2">
            <Button variant="secondary" onClick={() => (setDraft(null), save.reset())} disabled={!dirty || save.isPending}>
              Discard
            </Button>
            <Button
              onClick={() => save.mutate({ pair: pair.name, enabled, nodeIds: Object.fromEntries(pair.hosts.map((h) => [h.name, nodeIdOf(h.name) as NodeId])) })}
              disabled={!dirty || !complete || save.isPending}
              title={!complete ? "Give each host a different node id (0 or 1)" : undefined}
            >
              {save.isPending ? "Saving…" : "Save"}
            </Button>
          </div>
        )}
      </div>

      <div className="space-y-5 px-5 py-4">
        <div className="flex items-start gap-4">
          <Switch
            id={`alua-${pair.id}`}
            checked={enabled}
            onChange={(v) => setDraft({ ...current(), enabled: v })}
            label={`ALUA enabled for ${pair.name}`}
            disabled={!editable || save.isPending}
            describedBy={`alua-${pair.id}-desc`}
          />
          <div>
            <label htmlFor={`alua-${pair.id}`} className="text-sm font-medium">
              ALUA enabled
            </label>
            <p id={`alua-${pair.id}-desc`} className="text-sm text-slate-500 dark:text-slate-400">
              Agents report access states per node and tell their peer when an LU is imported, so one GUID is Active on one node only.
            </p>
          </div>
        </div>

        <div className="overflow-x-auto rounded-lg ring-1 ring-slate-200 dark:ring-slate-800">
          <table className="w-full text-left text-sm">
            <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500 dark:bg-slate-900/60 dark:text-slate-400">
              <tr>
                <th className="px-4 py-2.5 font-medium">Host</th>
                <th className="px-4 py-2.5 font-medium">Node id</th>
                <th className="px-4 py-2.5 font-medium">Agent reports</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {pair.hosts.map((h) => {
                const value = nodeIdOf(h.name);
                return (
                  <tr key={h.name} data-testid={`pair-host-${h.name}`} className="align-top">
                    <td className="px-4 py-3">
                      <div className="flex items-center gap-2">
                        <span className="font-medium">{h.name}</span>
                        <StatusBadge status={h.status} />
                      </div>
                    </td>
                    <td className="px-4 py-3">
                      <select
                        aria-label={`Node id of ${h.name}`}
                        className={`${inputClass} w-20!`}
                        value={value === null ? "" : String(value)}
                        onChange={(e) => setNode(h.name, Number(e.target.value) as NodeId)}
                        disabled={!editable || save.isPending}
                      >
                        {value === null && <option value="">–</option>}
                        <option value="0">0</option>
                        <option value="1">1</option>
                      </select>
                    </td>
                    <td className="px-4 py-3">
                      {h.agent ? (
                        <div className="flex flex-wrap items-center gap-1.5 text-xs">
                          <Badge tone={h.agent.enabled ? "success" : "neutral"}>ALUA {h.agent.enabled ? "on" : "off"}</Badge>
                          <Badge>node {h.agent.nodeId}</Badge>
                          <Badge>{h.agent.peer ? `peer ${h.agent.peer}` : "no peer"}</Badge>
                          {issues[h.name] && <Badge tone="warning">disagrees</Badge>}
                        </div>
                      ) : (
                        <Badge tone="danger">no answer</Badge>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>

        {issueCount > 0 && (
          <Alert tone="warning" title="The agents and Tandem disagree" testId="alua-disagreement">
            <ul className="list-inside list-disc">
              {Object.values(issues)
                .flat()
                .map((m) => (
                  <li key={m}>{m}</li>
                ))}
            </ul>
            {editable && <p className="mt-1">Saving writes Tandem&apos;s settings to both agents.</p>}
          </Alert>
        )}
        {save.error && (
          <Alert tone="error" title={errorCode(save.error) === "FORBIDDEN" ? "Only an admin can change ALUA settings" : "Could not save"}>
            {errorCode(save.error) === "FORBIDDEN" ? `The console refused: ${save.error.message}.` : errorMessage(save.error)}
          </Alert>
        )}
      </div>
    </Card>
  );
}
