import { z } from "zod";

// Roles are ordered: each one can do everything the ones before it can.
export const ROLES = ["viewer", "operator", "admin"] as const;
export const role = z.enum(ROLES);
export type Role = z.infer<typeof role>;

const rank: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

export function hasRole(actual: string | null | undefined, required: Role): boolean {
  const parsed = role.safeParse(actual);
  return parsed.success && rank[parsed.data] >= rank[required];
}

export const username = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{2,31}$/, "must be 3-32 characters: a-z, 0-9, '.', '_' or '-'");
