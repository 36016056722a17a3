import { actorOf, adminProcedure, router, viewerProcedure } from "@/server/trpc/init";
import { listPairs, setAlua, setAluaInput } from "@/server/services/storage/alua";

export const aluaRouter = router({
  get: viewerProcedure.query(({ ctx }) => listPairs(ctx.deps)),
  set: adminProcedure.input(setAluaInput).mutation(({ ctx, input }) => setAlua(ctx.deps, actorOf(ctx), input)),
});
