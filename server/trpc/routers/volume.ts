import { actorOf, adminProcedure, operatorProcedure, router, viewerProcedure } from "@/server/trpc/init";
import { createVolume, createVolumeInput, deleteVolume, getVolume, listVolumes, resizeVolume, resizeVolumeInput, volumeRefInput } from "@/server/services/storage/volumes";

export const volumeRouter = router({
  list: viewerProcedure.query(({ ctx }) => listVolumes(ctx.deps)),
  get: viewerProcedure.input(volumeRefInput).query(({ ctx, input }) => getVolume(ctx.deps, input)),
  create: operatorProcedure.input(createVolumeInput).mutation(({ ctx, input }) => createVolume(ctx.deps, actorOf(ctx), input)),
  resize: operatorProcedure.input(resizeVolumeInput).mutation(({ ctx, input }) => resizeVolume(ctx.deps, actorOf(ctx), input)),
  delete: adminProcedure.input(volumeRefInput).mutation(({ ctx, input }) => deleteVolume(ctx.deps, actorOf(ctx), input)),
});
