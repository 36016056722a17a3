import { actorOf, publicProcedure, router, viewerProcedure } from "@/server/trpc/init";
import { createToken, createTokenInput, listMyTokens, revokeMyToken, revokeTokenInput } from "@/server/services/auth/manage-tokens";

export const authRouter = router({
  me: publicProcedure.query(({ ctx }) => ctx.identity),
  createToken: viewerProcedure.input(createTokenInput).mutation(({ ctx, input }) => createToken(ctx.deps, actorOf(ctx), input)),
  listTokens: viewerProcedure.query(({ ctx }) => listMyTokens(ctx.deps, actorOf(ctx))),
  revokeToken: viewerProcedure.input(revokeTokenInput).mutation(({ ctx, input }) => revokeMyToken(ctx.deps, actorOf(ctx), input)),
});
