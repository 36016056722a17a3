"use client";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";
import { formatAgo } from "@/lib/format";
import { useNow } from "@/lib/use-now";
import { Alert } from "@/components/ui/alert";

/** What the reconciler found where Tandem's database and the hosts disagree. */
export function DriftBanner() {
  const trpc = useTRPC();
  const drift = useQuery(trpc.operation.drift.queryOptions());
  const now = useNow(10_000);
  if (!drift.data?.length) return null;
  return (
    <Alert tone="warning" title={`Tandem and the hosts disagree about ${drift.data.length} ${drift.data.length === 1 ? "item" : "items"}`} className="mb-4" testId="drift-banner">
      <ul className="mt-1 space-y-0.5">
        {drift.data.map((d) => (
          <li key={`${d.host}-${d.kind}-${d.name}`} className="flex flex-wrap items-baseline gap-x-2">
            <span className="font-mono text-xs">
              {d.host}/{d.name}
            </span>
            <span className="text-xs uppercase tracking-wide opacity-70">{d.kind}</span>
            <span>{d.problem}</span>
            <span className="text-xs opacity-70">since {formatAgo(d.detectedAt, now)}</span>
          </li>
        ))}
      </ul>
    </Alert>
  );
}
