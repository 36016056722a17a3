import { operatorProcedure, router } from "@/server/trpc/init";
import { listAudit, listAuditInput, verifyAudit } from "@/server/services/audit/audit";

export const auditRouter = router({
  list: operatorProcedure.input(listAuditInput).query(({ ctx, input }) => listAudit(ctx.deps, input)),
  verify: operatorProcedure.query(({ ctx }) => verifyAudit(ctx.deps)),
});
