// tRPC set-up: every procedure states its minimum role in `meta`; one middleware enforces it.
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError } from "zod";
import { hasRole, type Role } from "@/server/domain/auth/roles";
import { TandemError, type ErrorCode } from "@/server/domain/errors";
import type { Context } from "./context";

export type Meta = { role: Role | "public" };

const trpcCode: Record<ErrorCode, TRPCError["code"]> = {
  BAD_REQUEST: "BAD_REQUEST",
  UNAUTHORIZED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  PRECONDITION_FAILED: "PRECONDITION_FAILED",
  UNAVAILABLE: "SERVICE_UNAVAILABLE",
  INTERNAL: "INTERNAL_SERVER_ERROR",
};

function zodMessage(e: ZodError): string {
  return e.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; ");
}

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    transformer: superjson,
    errorFormatter({ shape, error }) {
      const cause = error.cause;
      const zod = cause instanceof ZodError ? cause : null;
      const message = zod ? `invalid input: ${zodMessage(zod)}` : error.code === "INTERNAL_SERVER_ERROR" ? "internal error; see the console log" : error.message;
      return {
        ...shape,
        message,
        data: {
          code: shape.data.code,
          httpStatus: shape.data.httpStatus,
          retryable: cause instanceof TandemError ? cause.retryable : false,
          // No stack traces leave the server.
        },
      };
    },
  });

/** Turns domain errors into tRPC errors with the right status; unknown errors stay 500 and are logged. */
const errorMapping = t.middleware(async ({ next, path }) => {
  const result = await next();
  if (!result.ok) {
    const cause = result.error.cause;
    if (cause instanceof TandemError) {
      throw new TRPCError({ code: trpcCode[cause.code], message: cause.message, cause });
    }
    if (result.error.code === "INTERNAL_SERVER_ERROR") {
      console.error(`[trpc] ${path} failed:`, result.error.cause ?? result.error);
    }
  }
  return result;
});

const enforceRole = t.middleware(({ ctx, meta, next }) => {
  const required = meta?.role;
  if (!required) throw new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: "procedure has no role" });
  if (required === "public") return next();
  if (!ctx.identity) throw new TRPCError({ code: "UNAUTHORIZED", message: "sign in first (or pass an API token)" });
  if (!hasRole(ctx.identity.role, required)) {
    throw new TRPCError({ code: "FORBIDDEN", message: `this needs the ${required} role; you are ${ctx.identity.role}` });
  }
  return next({ ctx: { ...ctx, identity: ctx.identity } });
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

const base = t.procedure.use(errorMapping).use(enforceRole);
export const publicProcedure = base.meta({ role: "public" });
export const viewerProcedure = base.meta({ role: "viewer" });
export const operatorProcedure = base.meta({ role: "operator" });
export const adminProcedure = base.meta({ role: "admin" });

/** Narrowed identity for procedures that required a role. */
export function actorOf(ctx: Context) {
  if (!ctx.identity) throw new TRPCError({ code: "UNAUTHORIZED", message: "sign in first" });
  return ctx.identity;
}
