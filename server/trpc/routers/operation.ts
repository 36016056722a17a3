import { actorOf, operatorProcedure, router, viewerProcedure } from "@/server/trpc/init";
import { cancelOperation, cancelOperationInput } from "@/server/services/operations/cancel-operation";
import { getOperation, getOperationInput, listAllDrift, listOperations, listOperationsInput } from "@/server/services/operations/list-operations";

export const operationRouter = router({
  list: viewerProcedure.input(listOperationsInput).query(({ ctx, input }) => listOperations(ctx.deps, input)),
  get: viewerProcedure.input(getOperationInput).query(({ ctx, input }) => getOperation(ctx.deps, input)),
  cancel: operatorProcedure.input(cancelOperationInput).mutation(({ ctx, input }) => cancelOperation(ctx.deps, actorOf(ctx), input)),
  drift: viewerProcedure.query(({ ctx }) => listAllDrift(ctx.deps)),
});
