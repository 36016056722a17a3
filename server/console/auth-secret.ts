// better-auth signs cookies with a secret. Take BETTER_AUTH_SECRET if set; otherwise keep a
// random one in the data directory (mode 0600) so sessions survive restarts.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export function loadAuthSecret(dataDir: string, fromEnv: string | undefined): string {
  if (fromEnv && fromEnv.length >= 32) return fromEnv;
  if (fromEnv) throw new Error("BETTER_AUTH_SECRET must be at least 32 characters");
  const file = path.join(dataDir, "auth-secret");
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch {
    const secret = crypto.randomBytes(32).toString("base64url");
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, secret + "\n", { mode: 0o600, flag: "wx" });
    return secret;
  }
}
