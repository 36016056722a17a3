import type { Db } from "./client";

export function createApiToken(db: Db, t: { userId: string; name: string; prefix: string; hash: string; expiresAt: Date | null }) {
  return db.apiToken.create({ data: t });
}

export function findActiveToken(db: Db, hash: string, now: Date) {
  return db.apiToken.findFirst({
    where: { hash, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
    include: { user: true },
  });
}

export function touchToken(db: Db, id: string, at: Date) {
  return db.apiToken.update({ where: { id }, data: { lastUsedAt: at } });
}

export function listTokens(db: Db, userId: string) {
  return db.apiToken.findMany({ where: { userId }, orderBy: { createdAt: "desc" } });
}

export async function revokeToken(db: Db, userId: string, id: string, at: Date): Promise<boolean> {
  const r = await db.apiToken.updateMany({ where: { id, userId, revokedAt: null }, data: { revokedAt: at } });
  return r.count === 1;
}
