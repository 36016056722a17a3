// Who is calling: an API token in `Authorization: Bearer`, else a better-auth session cookie.
import { findActiveToken, touchToken } from "@/server/db/token-store";
import { role as roleSchema } from "@/server/domain/auth/roles";
import type { Identity } from "@/server/trpc/context";
import type { Auth } from "@/server/auth/better-auth";
import type { Deps } from "@/server/services/deps";
import { hashToken, looksLikeToken } from "./api-token";

const TOUCH_EVERY_MS = 60_000;

export async function resolveIdentity(
  deps: Pick<Deps, "db" | "now"> & { auth: Auth },
  headers: Headers,
  explicitToken?: string,
): Promise<Identity | null> {
  const bearer = explicitToken ?? headers.get("authorization")?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (bearer) {
    if (!looksLikeToken(bearer)) return null;
    const now = deps.now();
    const token = await findActiveToken(deps.db, hashToken(bearer), now);
    if (!token || !token.user.username) return null;
    if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() > TOUCH_EVERY_MS) await touchToken(deps.db, token.id, now);
    const role = roleSchema.safeParse(token.user.role);
    return role.success ? { userId: token.user.id, username: token.user.username, role: role.data, via: "token" } : null;
  }
  if (!headers.get("cookie")) return null;
  const session = await deps.auth.api.getSession({ headers });
  if (!session) return null;
  const user = session.user as { id: string; username?: string | null; role?: string };
  const role = roleSchema.safeParse(user.role);
  if (!role.success || !user.username) return null;
  return { userId: user.id, username: user.username, role: role.data, via: "session" };
}
