"use client";
// The ALUA access state of the mirror's LU on each host, with its code; patched live from
// lu.state events (storage-cache), so the badges flip while a move runs.
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";
import { errorMessage } from "@/lib/errors";
import type { MirrorDto } from "@/server/services/mirrors/mirror-dto";
import { AccessStateBadge } from "@/components/ui/access-state-badge";

export function LuStates({ mirror }: { mirror: MirrorDto }) {
  const trpc = useTRPC();
  const lus = useQuery(trpc.lu.list.queryOptions());
  const ends = [mirror.source, mirror.target];
  const lu = lus.data?.find((l) => l.nodes.some((n) => ends.some((e) => e.host === n.host && e.volume === n.volume)));
  return (
    <div data-testid="wizard-lu-states">
      <div className="flex items-baseline justify-between gap-2">
        <div className="text-xs font-semibold uppercase tracking-wider text-slate-500 dark:text-slate-400">LU access state (ALUA)</div>
        {lu && (
          <code className="truncate font-mono text-[0.6875rem] text-slate-400" title={`GUID ${lu.guid}`}>
            {lu.guid.slice(0, 12)}…
          </code>
        )}
      </div>
      {lus.isPending ? (
        <p className="mt-2 text-sm text-slate-400">…</p>
      ) : lus.isError ? (
        <p className="mt-2 text-sm text-rose-600 dark:text-rose-400">{errorMessage(lus.error)}</p>
      ) : !lu ? (
        <p className="mt-2 text-sm text-slate-500 dark:text-slate-400">The mirror&apos;s volumes are not exported as an LU: no client is switched.</p>
      ) : (
        <ul className="mt-2 space-y-2">
          {[...lu.nodes]
            .sort((a, b) => a.host.localeCompare(b.host))
            .map((n) => (
              <li key={n.hostId} className="flex flex-wrap items-center justify-between gap-2" data-testid={`lu-node-${n.host}`} data-state={n.accessState}>
                <span className="text-sm">
                  <span className="font-semibold">{n.host}</span>
                  <span className="font-mono text-xs text-slate-500 dark:text-slate-400">/{n.volume}</span>
                  {n.nodeId !== null && <span className="ml-1.5 text-xs text-slate-400">node {n.nodeId}</span>}
                </span>
                <AccessStateBadge state={n.accessState} code={n.stateCode} title={`${n.host}: ${n.accessState.replaceAll("_", " ")} since ${new Date(n.stateChangedAt).toLocaleTimeString()}`} />
              </li>
            ))}
        </ul>
      )}
    </div>
  );
}
