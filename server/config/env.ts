// Console settings from the environment, validated once at start with messages a person can act on.
import path from "node:path";
import { z } from "zod";

const port = z.coerce.number().int().min(0).max(65535);

const schema = z.object({
  PORT: port.default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  TANDEM_DATA_DIR: z.string().min(1).default(".data"),
  DATABASE_URL: z
    .string()
    .refine((s) => s.startsWith("file:") || /^postgres(ql)?:\/\//.test(s), "must start with file: (SQLite) or postgresql:// (PostgreSQL)")
    .optional(),
  TANDEM_ADMIN_PASSWORD: z.string().min(8, "must be at least 8 characters").optional(),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, "must start with redis:// or rediss://").optional(),
  TANDEM_REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9:_-]{1,64}$/, "letters, digits, ':', '_' or '-'").default("tandem"),
  TANDEM_HOSTS_FILE: z.string().min(1).optional(),
  TANDEM_PUBLIC_URL: z.string().url().optional(),
  TANDEM_WORKERS: z.enum(["on", "off"]).default("on"),
  TANDEM_LEASE_MS: z.coerce.number().int().min(1000).max(600_000).default(15_000),
  TANDEM_MONITOR_INTERVAL_MS: z.coerce.number().int().min(100).max(60_000).default(1000),
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
});

export type Env = z.infer<typeof schema> & { dataDir: string; databaseUrl: string };

export class ConfigError extends Error {}

export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  // Empty strings mean "unset" (an exported but blank variable is a common slip).
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ""));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`invalid settings:\n${lines.join("\n")}`);
  }
  const dataDir = path.resolve(parsed.data.TANDEM_DATA_DIR);
  const databaseUrl = parsed.data.DATABASE_URL ?? `file:${path.join(dataDir, "tandem.db")}`;
  return { ...parsed.data, dataDir, databaseUrl };
}
