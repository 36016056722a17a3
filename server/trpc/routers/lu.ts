import { z } from "zod";
import { guid } from "@tandem/contracts/storage";
import { actorOf, adminProcedure, operatorProcedure, router, viewerProcedure } from "@/server/trpc/init";
import { createLu, createLuInput, deleteLu, importLu, listLus, luHistory, luTargetInput, standbyLu } from "@/server/services/storage/lus";

export const luRouter = router({
  list: viewerProcedure.query(({ ctx }) => listLus(ctx.deps)),
  history: viewerProcedure.input(z.object({ guid })).query(({ ctx, input }) => luHistory(ctx.deps, input)),
  create: operatorProcedure.input(createLuInput).mutation(({ ctx, input }) => createLu(ctx.deps, actorOf(ctx), input)),
  standby: operatorProcedure.input(luTargetInput).mutation(({ ctx, input }) => standbyLu(ctx.deps, actorOf(ctx), input)),
  import: operatorProcedure.input(luTargetInput).mutation(({ ctx, input }) => importLu(ctx.deps, actorOf(ctx), input)),
  delete: adminProcedure.input(luTargetInput).mutation(({ ctx, input }) => deleteLu(ctx.deps, actorOf(ctx), input)),
});
