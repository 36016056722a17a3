import { actorOf, adminProcedure, operatorProcedure, router, viewerProcedure } from "@/server/trpc/init";
import { createMirror } from "@/server/services/mirrors/create-mirror";
import { createMirrorInput, deleteMirrorInput, mirrorNameInput, modifyMirrorInput } from "@/server/services/mirrors/mirror-input";
import { deleteMirror, modifyMirror, pauseMirror, resumeMirror } from "@/server/services/mirrors/manage-mirror";
import { dashboard, getMirror, listMirrors } from "@/server/services/mirrors/list-mirrors";
import { verifyMirror, verifyMirrorInput } from "@/server/services/mirrors/verify-mirror";
import { planInput, planMirrorMove } from "@/server/services/mirrors/plan-mirror-move";
import { failbackInput, failbackMirror, failoverInput, failoverMirror, reverseInput, reverseMirror } from "@/server/services/mirrors/move-mirror";

export const mirrorRouter = router({
  list: viewerProcedure.query(({ ctx }) => listMirrors(ctx.deps)),
  get: viewerProcedure.input(mirrorNameInput).query(({ ctx, input }) => getMirror(ctx.deps, input)),
  verify: operatorProcedure.input(verifyMirrorInput).mutation(({ ctx, input }) => verifyMirror(ctx.deps, input)),
  plan: viewerProcedure.input(planInput).query(({ ctx, input }) => planMirrorMove(ctx.deps, input)),
  failover: operatorProcedure.input(failoverInput).mutation(({ ctx, input }) => failoverMirror(ctx.deps, actorOf(ctx), input)),
  failback: operatorProcedure.input(failbackInput).mutation(({ ctx, input }) => failbackMirror(ctx.deps, actorOf(ctx), input)),
  reverse: operatorProcedure.input(reverseInput).mutation(({ ctx, input }) => reverseMirror(ctx.deps, actorOf(ctx), input)),
  dashboard: viewerProcedure.query(({ ctx }) => dashboard(ctx.deps)),
  create: operatorProcedure.input(createMirrorInput).mutation(({ ctx, input }) => createMirror(ctx.deps, actorOf(ctx), input)),
  modify: operatorProcedure.input(modifyMirrorInput).mutation(({ ctx, input }) => modifyMirror(ctx.deps, actorOf(ctx), input)),
  pause: operatorProcedure.input(mirrorNameInput).mutation(({ ctx, input }) => pauseMirror(ctx.deps, actorOf(ctx), input)),
  resume: operatorProcedure.input(mirrorNameInput).mutation(({ ctx, input }) => resumeMirror(ctx.deps, actorOf(ctx), input)),
  delete: adminProcedure.input(deleteMirrorInput).mutation(({ ctx, input }) => deleteMirror(ctx.deps, actorOf(ctx), input, { wait: false })),
});
