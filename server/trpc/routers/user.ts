import { actorOf, adminProcedure, router } from "@/server/trpc/init";
import { createUser, createUserInput } from "@/server/services/auth/create-user";
import { listUsers, setRole, setRoleInput } from "@/server/services/users/manage-users";

export const userRouter = router({
  list: adminProcedure.query(({ ctx }) => listUsers(ctx.deps)),
  create: adminProcedure.input(createUserInput).mutation(({ ctx, input }) => createUser(ctx.deps, input)),
  setRole: adminProcedure.input(setRoleInput).mutation(({ ctx, input }) => setRole(ctx.deps, actorOf(ctx), input)),
});
