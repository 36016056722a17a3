"use client";
import { useEffect, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";
import { Card } from "@/components/ui/card";
import { StatusBadge } from "@/components/ui/status-badge";
import { UsageBar } from "@/components/ui/usage-bar";
import { formatAgo } from "@/lib/format";

function useNow(everyMs: number) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
}

export function HostsTable() {
  const trpc = useTRPC();
  const hosts = useQuery(trpc.host.list.queryOptions());
  const now = useNow(1000);

  if (hosts.isPending) return <Card className="p-8 text-sm text-slate-500">Loading hosts…</Card>;
  if (hosts.isError) return <Card className="p-8 text-sm text-rose-600">Could not load hosts: {hosts.error.message}</Card>;
  if (hosts.data.length === 0)
    return (
      <Card className="p-8 text-sm text-slate-500">
        No hosts registered yet. Start the console with <code className="font-mono">npm run up</code> to get two local hosts.
      </Card>
    );

  const counts = hosts.data.reduce<Record<string, number>>((m, h) => ((m[h.status] = (m[h.status] ?? 0) + 1), m), {});

  return (
    <div className="space-y-4">
      <div className="flex gap-3 text-sm text-slate-600 dark:text-slate-300">
        {(["online", "degraded", "offline", "maintenance"] as const).map((s) =>
          counts[s] ? (
            <span key={s} className="inline-flex items-center gap-2">
              <StatusBadge status={s} /> <span className="tabular-nums">{counts[s]}</span>
            </span>
          ) : null,
        )}
      </div>
      <Card className="overflow-hidden">
        <table className="w-full text-left text-sm">
          <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-800 dark:bg-slate-900/60 dark:text-slate-400">
            <tr>
              <th className="px-4 py-3 font-medium">Host</th>
              <th className="px-4 py-3 font-medium">Status</th>
              <th className="px-4 py-3 font-medium">Address</th>
              <th className="px-4 py-3 font-medium">Engine</th>
              <th className="px-4 py-3 font-medium">Capacity</th>
              <th className="px-4 py-3 font-medium">Last seen</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
            {hosts.data.map((h) => (
              <tr key={h.id} data-testid={`host-row-${h.name}`} className="hover:bg-slate-50/60 dark:hover:bg-slate-800/30">
                <td className="px-4 py-3">
                  <div className="font-medium">{h.name}</div>
                  {h.pair && (
                    <div className="text-xs text-slate-500 dark:text-slate-400">
                      pair {h.pair.name} · node {h.aluaNodeId ?? "–"}
                    </div>
                  )}
                </td>
                <td className="px-4 py-3">
                  <StatusBadge status={h.status} title={h.statusReason ?? undefined} />
                  {h.statusReason && h.status !== "online" && (
                    <div className="mt-1 max-w-56 truncate text-xs text-slate-500 dark:text-slate-400" title={h.statusReason}>
                      {h.statusReason}
                    </div>
                  )}
                </td>
                <td className="px-4 py-3 font-mono text-xs text-slate-600 dark:text-slate-300">
                  <div>{h.agentUrl.replace(/^https?:\/\//, "")}</div>
                  {h.nbdAddress && <div className="text-slate-400">nbd {h.nbdAddress}</div>}
                </td>
                <td className="px-4 py-3 text-xs text-slate-600 dark:text-slate-300">{h.qsdVersion ? `QSD ${h.qsdVersion}` : "–"}</td>
                <td className="px-4 py-3">
                  <UsageBar used={Number(h.capacityBytes) - Number(h.freeBytes)} total={Number(h.capacityBytes)} label={`capacity of ${h.name}`} />
                </td>
                <td className="px-4 py-3 text-xs text-slate-600 dark:text-slate-300" data-testid="last-seen">
                  {h.status === "online" ? "now" : formatAgo(h.lastSeenAt, now)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
    </div>
  );
}
