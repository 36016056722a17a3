import { router } from "./init";
import { authRouter } from "./routers/auth";
import { hostRouter } from "./routers/host";
import { userRouter } from "./routers/user";
import { volumeRouter } from "./routers/volume";
import { snapshotRouter } from "./routers/snapshot";
import { luRouter } from "./routers/lu";
import { aluaRouter } from "./routers/alua";
import { operationRouter } from "./routers/operation";
import { mirrorRouter } from "./routers/mirror";
import { auditRouter } from "./routers/audit";

export const appRouter = router({
  auth: authRouter,
  host: hostRouter,
  user: userRouter,
  volume: volumeRouter,
  snapshot: snapshotRouter,
  lu: luRouter,
  alua: aluaRouter,
  operation: operationRouter,
  mirror: mirrorRouter,
  audit: auditRouter,
});

export type AppRouter = typeof appRouter;
