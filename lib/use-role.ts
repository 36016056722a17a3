"use client";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";
import { hasRole, type Role } from "@/lib/roles";

/** Whether the signed-in user has at least `required`; false while unknown. */
export function useCan() {
  const trpc = useTRPC();
  const me = useQuery(trpc.auth.me.queryOptions());
  return { role: me.data?.role ?? null, can: (required: Role) => hasRole(me.data?.role, required) };
}
