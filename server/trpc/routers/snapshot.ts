import { actorOf, adminProcedure, operatorProcedure, router } from "@/server/trpc/init";
import { cloneSnapshot, cloneSnapshotInput, createSnapshot, deleteSnapshot, revertSnapshot, snapshotInput } from "@/server/services/storage/snapshots";

export const snapshotRouter = router({
  create: operatorProcedure.input(snapshotInput).mutation(({ ctx, input }) => createSnapshot(ctx.deps, actorOf(ctx), input)),
  clone: operatorProcedure.input(cloneSnapshotInput).mutation(({ ctx, input }) => cloneSnapshot(ctx.deps, actorOf(ctx), input)),
  revert: adminProcedure.input(snapshotInput).mutation(({ ctx, input }) => revertSnapshot(ctx.deps, actorOf(ctx), input)),
  delete: adminProcedure.input(snapshotInput).mutation(({ ctx, input }) => deleteSnapshot(ctx.deps, actorOf(ctx), input)),
});
