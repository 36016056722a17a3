import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/trpc/root";

export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type VolumeDetail = RouterOutputs["volume"]["get"];
export type LuItem = RouterOutputs["lu"]["list"][number];
export type PairItem = RouterOutputs["alua"]["get"][number];
export type DriftItem = RouterOutputs["operation"]["drift"][number];
