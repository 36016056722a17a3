// Request routing of the console's single HTTP server: better-auth, tRPC, then Next.js pages.
// tRPC and auth are served here rather than through Next route handlers so that they share
// the one database client, bus and auth instance of this process.
import type http from "node:http";
import { toNodeHandler, fromNodeHeaders } from "better-auth/node";
import { nodeHTTPRequestHandler } from "@trpc/server/adapters/node-http";
import { appRouter } from "@/server/trpc/root";
import type { Context } from "@/server/trpc/context";
import { resolveIdentity } from "@/server/services/auth/resolve-identity";
import { CLIENT_IP_HEADER } from "@/server/auth/better-auth";

function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>;

const PUBLIC_PAGE = /^\/(login|_next\/|favicon\.ico|icon|robots\.txt)/;

export function createRequestHandler(deps: Context["deps"], nextHandler: Handler): Handler {
  const authHandler = toNodeHandler(deps.auth);

  return async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const path = url.pathname;
    try {
      if (path.startsWith("/api/auth/")) {
        // The address the sign-in limit counts by: the connection's, never a client's claim.
        req.headers[CLIENT_IP_HEADER] = req.socket.remoteAddress ?? "unknown";
        return await authHandler(req, res);
      }
      if (path.startsWith("/api/trpc/")) {
        // Cookies are SameSite=Lax already; refusing foreign origins on writes is a second lock.
        const origin = req.headers.origin;
        if (req.method === "POST" && origin && hostOf(origin) !== req.headers.host) {
          res.writeHead(403, { "content-type": "application/json" }).end(JSON.stringify({ error: { code: "forbidden", message: "cross-site request refused" } }));
          return;
        }
        return await nodeHTTPRequestHandler({
          req,
          res,
          path: path.slice("/api/trpc/".length),
          router: appRouter,
          createContext: async () => ({
            identity: await resolveIdentity(deps, fromNodeHeaders(req.headers)),
            deps,
          }),
        });
      }
      if (path === "/healthz") {
        res.writeHead(200, { "content-type": "text/plain" }).end("ok\n");
        return;
      }
      if (req.method === "GET" && !path.startsWith("/api/") && !PUBLIC_PAGE.test(path)) {
        const identity = await resolveIdentity(deps, fromNodeHeaders(req.headers));
        if (!identity) {
          const next = encodeURIComponent(path + url.search);
          res.writeHead(303, { location: `/login?next=${next}` }).end();
          return;
        }
      }
      return await nextHandler(req, res);
    } catch (err) {
      console.error(`[http] ${req.method} ${path} failed:`, err);
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { code: "internal", message: "internal error; see the console log" } }));
    }
  };
}
