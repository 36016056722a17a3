import { z } from "zod";
import { findUserByUsername } from "@/server/db/user-store";
import { role, username } from "@/server/domain/auth/roles";
import { conflict } from "@/server/domain/errors";
import type { Auth } from "@/server/auth/better-auth";
import type { Deps } from "@/server/services/deps";

export const createUserInput = z.object({
  username,
  password: z.string().min(8, "must be at least 8 characters").max(256),
  role,
  name: z.string().min(1).max(100).optional(),
});

export async function createUser(deps: Pick<Deps, "db"> & { auth: Auth }, input: z.infer<typeof createUserInput>) {
  const data = createUserInput.parse(input);
  if (await findUserByUsername(deps.db, data.username)) throw conflict(`user ${data.username} already exists`);
  const ctx = await deps.auth.$context;
  const user = await ctx.internalAdapter.createUser({
    // better-auth keys users by e-mail; Tandem users sign in by user name, so the address is a placeholder.
    email: `${data.username}@users.tandem.invalid`,
    emailVerified: true,
    name: data.name ?? data.username,
    username: data.username,
    displayUsername: data.username,
    role: data.role,
  }, { method: "admin" });
  await ctx.internalAdapter.linkAccount({
    providerId: "credential",
    accountId: user.id,
    userId: user.id,
    password: await ctx.password.hash(data.password),
  });
  return { id: user.id, username: data.username, role: data.role };
}
