import { z } from "zod";
import { createApiToken, listTokens, revokeToken } from "@/server/db/token-store";
import { notFound } from "@/server/domain/errors";
import type { Identity } from "@/server/trpc/context";
import type { Deps } from "@/server/services/deps";
import { newTokenSecret } from "./api-token";

export const createTokenInput = z.object({
  name: z.string().trim().min(1).max(64),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});

export async function createToken(deps: Pick<Deps, "db" | "now">, actor: Identity, input: z.infer<typeof createTokenInput>) {
  const { secret, prefix, hash } = newTokenSecret();
  const expiresAt = input.expiresInDays ? new Date(deps.now().getTime() + input.expiresInDays * 86_400_000) : null;
  const row = await createApiToken(deps.db, { userId: actor.userId, name: input.name, prefix, hash, expiresAt });
  return { id: row.id, name: row.name, prefix, token: secret, expiresAt: expiresAt?.toISOString() ?? null };
}

export async function listMyTokens(deps: Pick<Deps, "db">, actor: Identity) {
  return (await listTokens(deps.db, actor.userId)).map((t) => ({
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    createdAt: t.createdAt.toISOString(),
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    expiresAt: t.expiresAt?.toISOString() ?? null,
    revoked: t.revokedAt !== null,
  }));
}

export const revokeTokenInput = z.object({ id: z.string().min(1).max(64) });

export async function revokeMyToken(deps: Pick<Deps, "db" | "now">, actor: Identity, input: z.infer<typeof revokeTokenInput>) {
  if (!(await revokeToken(deps.db, actor.userId, input.id, deps.now()))) throw notFound(`token ${input.id}`);
  return { ok: true };
}
