// Client-side mirror of the role order, to grey out what the server would refuse anyway.
// The server stays the judge: every procedure checks the role itself.
export type Role = "viewer" | "operator" | "admin";
const rank: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

export function hasRole(actual: string | null | undefined, required: Role): boolean {
  return actual != null && actual in rank && rank[actual as Role] >= rank[required];
}
