import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import superjson from "superjson";
import type { AppRouter } from "../../../server/trpc/root";
import { CliError } from "./config";

export type Api = ReturnType<typeof createApi>;

export function createApi(url: string, headers: Record<string, string>) {
  return createTRPCClient<AppRouter>({
    links: [httpBatchLink({ url: `${url.replace(/\/+$/, "")}/api/trpc`, transformer: superjson, headers })],
  });
}

/** One line a person can act on, for any failure of a call. */
export function explain(err: unknown, url: string): string {
  if (err instanceof TRPCClientError) {
    const code = (err.data as { code?: string } | undefined)?.code;
    if (code === "UNAUTHORIZED") return `not signed in at ${url}: run \`tandem login\` again (${err.message})`;
    if (err.cause && /fetch failed|ECONNREFUSED/i.test(String(err.cause?.message ?? err.message))) return `cannot reach the console at ${url}`;
    return err.message;
  }
  if (err instanceof CliError) return err.message;
  const e = err as Error & { cause?: { code?: string } };
  if (e?.cause?.code === "ECONNREFUSED" || /fetch failed/.test(e?.message ?? "")) return `cannot reach the console at ${url}`;
  return e?.message ?? String(err);
}
