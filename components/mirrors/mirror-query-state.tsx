"use client";
// What a mirror page shows while its mirror loads, or when it cannot: shared by the mirror
// page and the move wizard, each with its own breadcrumb.
import Link from "next/link";
import { errorCode, errorMessage } from "@/lib/errors";
import { Card } from "@/components/ui/card";

type Query = { isPending: boolean; isError: boolean; error: unknown };

/** The loading or error view for `query`, or null once the mirror is there. */
export function MirrorQueryState({ name, query, breadcrumb }: { name: string; query: Query; breadcrumb: React.ReactNode }) {
  if (query.isPending)
    return (
      <>
        {breadcrumb}
        <Card className="p-8 text-sm text-slate-500">Loading mirror {name}…</Card>
      </>
    );
  if (!query.isError) return null;
  return (
    <>
      {breadcrumb}
      <Card className="p-8 text-sm" data-testid="mirror-not-found">
        {errorCode(query.error) === "NOT_FOUND" ? (
          <>
            <div className="font-medium">Mirror {name} does not exist</div>
            <p className="mt-1 text-slate-500 dark:text-slate-400">
              It may have been deleted.{" "}
              <Link href="/mirrors" className="text-sky-600 hover:underline dark:text-sky-400">
                Back to all mirrors
              </Link>
            </p>
          </>
        ) : (
          <span className="text-rose-600">Could not load mirror {name}: {errorMessage(query.error)}</span>
        )}
      </Card>
    </>
  );
}
