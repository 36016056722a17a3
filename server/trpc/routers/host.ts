import { router, viewerProcedure } from "@/server/trpc/init";
import { listHosts } from "@/server/services/hosts/list-hosts";
import { getHost, getHostInput } from "@/server/services/hosts/get-host";

export const hostRouter = router({
  list: viewerProcedure.query(({ ctx }) => listHosts(ctx.deps)),
  get: viewerProcedure.input(getHostInput).query(({ ctx, input }) => getHost(ctx.deps, input)),
});
