import { findHost } from "@/server/db/host-store";
import { TandemError } from "@/server/domain/errors";
import type { Deps, HostRef } from "@/server/services/deps";

export async function hostOf(deps: Pick<Deps, "db">, hostId: string): Promise<HostRef & { pairId: string | null }> {
  const h = await findHost(deps.db, hostId);
  if (!h) throw new TandemError("NOT_FOUND", `host ${hostId} no longer exists`, { retryable: false });
  return h;
}

/** Runs `fn` and treats "not found" as done: how deletes stay idempotent after a crash. */
export async function ignoreNotFound<T>(fn: () => Promise<T>): Promise<T | null> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof TandemError && e.code === "NOT_FOUND") return null;
    throw e;
  }
}
