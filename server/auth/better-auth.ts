// Sessions and passwords are better-auth's job: HttpOnly cookies, scrypt hashes, CSRF checks
// on its own endpoints. Tandem adds roles (a user field) and API tokens (its own table).
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { username } from "better-auth/plugins";
import type { Db } from "@/server/db/client";

/** Set by the console's HTTP server from the TCP connection (see http-routes.ts). */
export const CLIENT_IP_HEADER = "x-tandem-client-address";

export type AuthConfig = { provider: "sqlite" | "postgresql"; secret: string; baseURL: string };

export function createAuth(db: Db, cfg: AuthConfig) {
  return betterAuth({
    appName: "Tandem",
    database: prismaAdapter(db, { provider: cfg.provider }),
    secret: cfg.secret,
    baseURL: cfg.baseURL,
    basePath: "/api/auth",
    // The console is reached by whatever name the admin types (localhost, a host name, an IP):
    // trust exactly the origin the request was sent to, which is the same-origin rule.
    trustedOrigins: async (request) => {
      const host = request?.headers.get("host");
      return host ? [`http://${host}`, `https://${host}`] : [];
    },
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 8, maxPasswordLength: 256 },
    plugins: [
      username({
        minUsernameLength: 3,
        maxUsernameLength: 32,
        usernameValidator: (u) => /^[a-z0-9][a-z0-9._-]{2,31}$/.test(u),
      }),
    ],
    user: { additionalFields: { role: { type: "string", input: false, defaultValue: "viewer", required: false } } },
    session: { expiresIn: 60 * 60 * 24 * 7, updateAge: 60 * 60 * 24 },
    advanced: {
      cookiePrefix: "tandem",
      // The sign-in limit (a few tries per address every 10 s) counts per client address. The
      // console's HTTP server sets this header from the connection itself, replacing whatever a
      // client sent; without it every client would share one bucket and one person guessing
      // passwords would lock everyone out.
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
    },
    telemetry: { enabled: false },
    logger: { level: "error" },
  });
}

export type Auth = ReturnType<typeof createAuth>;
