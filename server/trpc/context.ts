import type { Role } from "@/server/domain/auth/roles";
import type { Deps } from "@/server/services/deps";
import type { Auth } from "@/server/auth/better-auth";

export type Identity = { userId: string; username: string; role: Role; via: "session" | "token" };

export type Context = {
  identity: Identity | null;
  deps: Deps & { auth: Auth };
};
