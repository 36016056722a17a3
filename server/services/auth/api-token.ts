// API tokens: `tdm_` + 32 random bytes. Only a SHA-256 is stored; the secret is shown once.
import crypto from "node:crypto";

export const TOKEN_PREFIX = "tdm_";

export function newTokenSecret(): { secret: string; prefix: string; hash: string } {
  const secret = TOKEN_PREFIX + crypto.randomBytes(32).toString("base64url");
  return { secret, prefix: secret.slice(0, 10), hash: hashToken(secret) };
}

export function hashToken(secret: string): string {
  return crypto.createHash("sha256").update(secret).digest("hex");
}

export function looksLikeToken(s: string): boolean {
  return s.startsWith(TOKEN_PREFIX) && s.length >= 20 && s.length <= 100;
}
