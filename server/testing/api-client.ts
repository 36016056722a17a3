// A typed tRPC client for tests, signed in as admin with an API token.
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import superjson from "superjson";
import type { AppRouter } from "@/server/trpc/root";
import { startStack } from "../../e2e/support/stack";

export async function adminClient(url: string, password: string) {
  const res = await fetch(`${url}/api/auth/sign-in/username`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: url },
    body: JSON.stringify({ username: "admin", password }),
  });
  if (!res.ok) throw new Error(`sign-in failed: ${res.status}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const withCookie = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${url}/api/trpc`, transformer: superjson, headers: { cookie } })] });
  const { token } = await withCookie.auth.createToken.mutate({ name: "test" });
  return { api: clientWithToken(url, token), token };
}

export function clientWithToken(url: string, token: string) {
  return createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${url}/api/trpc`, transformer: superjson, headers: { authorization: `Bearer ${token}` } })] });
}

export async function eventually<T>(fn: () => Promise<T | undefined | false>, timeoutMs = 10_000, what = "condition"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v as T;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** Waits until an operation has succeeded or failed, and returns it. */
export function operationEnd(api: ReturnType<typeof clientWithToken>, id: string, timeoutMs = 120_000) {
  return eventually(async () => {
    const o = await api.operation.get.query({ id });
    return o.status === "succeeded" || o.status === "failed" ? o : undefined;
  }, timeoutMs, `operation ${id}`);
}

/**
 * A real stack (two agents, their QSDs, a console) whose pair has ALUA on both agents, and an
 * admin client: what every mirror test starts from. Stop it with stopStack.
 */
export async function startPairedStack(opts?: Parameters<typeof startStack>[0]) {
  const stack = await startStack(opts);
  const { api, token } = await adminClient(stack.consoleUrl, stack.adminPassword);
  await eventually(async () => (await api.alua.get.query())[0]?.hosts.every((h) => h.agent?.enabled), 20_000, "ALUA on both agents");
  return { stack, api, token };
}
