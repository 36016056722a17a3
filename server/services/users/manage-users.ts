import { z } from "zod";
import { findUserByUsername, listUsers as listUserRows, setUserRole } from "@/server/db/user-store";
import { role, username } from "@/server/domain/auth/roles";
import { badRequest, notFound } from "@/server/domain/errors";
import type { Identity } from "@/server/trpc/context";
import type { Deps } from "@/server/services/deps";

export async function listUsers(deps: Pick<Deps, "db">) {
  return (await listUserRows(deps.db)).map((u) => ({ id: u.id, username: u.username, name: u.name, role: u.role, createdAt: u.createdAt.toISOString() }));
}

export const setRoleInput = z.object({ username, role });

export async function setRole(deps: Pick<Deps, "db">, actor: Identity, input: z.infer<typeof setRoleInput>) {
  const user = await findUserByUsername(deps.db, input.username);
  if (!user) throw notFound(`user ${input.username}`);
  if (user.id === actor.userId && input.role !== "admin") throw badRequest("you cannot take the admin role from yourself");
  await setUserRole(deps.db, user.id, input.role);
  return { username: input.username, role: input.role };
}
