// The first start creates user `admin`. Its password comes from TANDEM_ADMIN_PASSWORD or is
// generated and returned once, for the caller to print.
import crypto from "node:crypto";
import { findUserByUsername } from "@/server/db/user-store";
import type { Auth } from "@/server/auth/better-auth";
import type { Deps } from "@/server/services/deps";
import { createUser } from "./create-user";

export async function ensureAdmin(deps: Pick<Deps, "db"> & { auth: Auth }, password: string | undefined) {
  if (await findUserByUsername(deps.db, "admin")) return { created: false as const };
  const chosen = password ?? crypto.randomBytes(12).toString("base64url");
  await createUser(deps, { username: "admin", password: chosen, role: "admin", name: "Administrator" });
  return { created: true as const, generatedPassword: password ? null : chosen };
}
