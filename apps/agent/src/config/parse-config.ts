import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { hostName, resourceName } from "@tandem/contracts/agent";
import { dataPaths, MAX_UNIX_SOCKET_PATH, type DataPaths } from "./data-paths";
import { hostPortSchema, hostSchema, nbdPortSchema, type HostPort } from "./host-port";

export interface PoolConfig {
  name: string;
  dir: string;
}

export interface AgentConfig {
  name: string;
  listen: HostPort;
  token: string;
  dataDir: string;
  paths: DataPaths;
  nbd: HostPort;
  pools: PoolConfig[];
  /** Volumes in a pool may add up to capacity × this ratio (thin provisioning). */
  overcommitRatio: number;
}

export type Command = { kind: "help" } | { kind: "version" } | { kind: "run"; config: AgentConfig };

/** A configuration problem, worded for the person who started the agent. */
export class ConfigError extends Error {}

const options = {
  name: { type: "string" },
  listen: { type: "string" },
  "token-file": { type: "string" },
  "data-dir": { type: "string" },
  "nbd-host": { type: "string" },
  "nbd-port": { type: "string" },
  pool: { type: "string", multiple: true },
  "overcommit-ratio": { type: "string" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "V" },
} as const;

export const OPTION_NAMES = Object.keys(options);

// Settings that come from a flag, else an environment variable, else a default.
const settings = {
  name: { flag: "name", env: "TANDEM_AGENT_NAME", fallback: undefined },
  listen: { flag: "listen", env: "TANDEM_AGENT_LISTEN", fallback: "127.0.0.1:7101" },
  dataDir: { flag: "data-dir", env: "TANDEM_AGENT_DATA_DIR", fallback: undefined },
  nbdHost: { flag: "nbd-host", env: "TANDEM_AGENT_NBD_HOST", fallback: "127.0.0.1" },
  nbdPort: { flag: "nbd-port", env: "TANDEM_AGENT_NBD_PORT", fallback: "10809" },
  overcommitRatio: { flag: "overcommit-ratio", env: "TANDEM_AGENT_OVERCOMMIT_RATIO", fallback: "2.0" },
} as const;

const required = (schema: z.ZodType<string, string>) => z.string({ error: "is required" }).pipe(schema);

const poolEntry = z.string().transform((value, ctx): PoolConfig => {
  const eq = value.indexOf("=");
  const name = resourceName.safeParse(value.slice(0, Math.max(eq, 0)));
  const dir = value.slice(eq + 1);
  if (eq <= 0 || dir === "") {
    ctx.addIssue({ code: "custom", message: "expected NAME=DIR" });
  } else if (!name.success) {
    ctx.addIssue({ code: "custom", message: `pool name ${name.error.issues[0]?.message}` });
  } else {
    return { name: name.data, dir: path.resolve(dir) };
  }
  return z.NEVER;
});

const rawConfig = z.object({
  name: required(hostName),
  listen: hostPortSchema(0),
  token: z
    .string({ error: "is required" })
    .trim()
    .min(16, "must be at least 16 characters")
    .regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces"),
  dataDir: required(z.string().min(1, "must not be empty"))
    .transform((dir) => path.resolve(dir))
    .refine(
      (dir) => Buffer.byteLength(dataPaths(dir).agentLock) <= MAX_UNIX_SOCKET_PATH,
      `is too long: unix socket paths inside it must stay under ${MAX_UNIX_SOCKET_PATH + 1} bytes`,
    ),
  nbdHost: hostSchema,
  nbdPort: nbdPortSchema,
  overcommitRatio: z
    .string()
    .regex(/^[0-9]{1,3}(\.[0-9]{1,3})?$/, "must be a number such as 1.5")
    .transform(Number)
    .pipe(z.number().min(0.1, "must be at least 0.1").max(100, "must be at most 100")),
  pools: z.array(poolEntry),
});

/**
 * Turns argv and the environment into a validated configuration.
 * Throws ConfigError with a one-line message; never includes the token in it.
 */
export function parseConfig(
  argv: string[],
  env: Record<string, string | undefined>,
  readFile: (file: string) => string = (file) => readFileSync(file, "utf8"),
): Command {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: false });
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
  const flags = parsed.values;
  if (flags.help) return { kind: "help" };
  if (flags.version) return { kind: "version" };

  const labels: Record<string, string> = {};
  const raw: Record<string, unknown> = {};
  for (const [key, s] of Object.entries(settings)) {
    const fromFlag = flags[s.flag as keyof typeof flags] as string | undefined;
    const fromEnv = env[s.env] === "" ? undefined : env[s.env];
    raw[key] = fromFlag ?? fromEnv ?? s.fallback;
    labels[key] =
      fromFlag !== undefined ? `--${s.flag}` : fromEnv !== undefined ? s.env : `--${s.flag} or ${s.env}`;
  }

  const tokenFile = flags["token-file"];
  if (tokenFile !== undefined) {
    try {
      raw.token = readFile(tokenFile);
    } catch (err) {
      throw new ConfigError(`--token-file: cannot read ${tokenFile}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    labels.token = `token in --token-file ${tokenFile}`;
  } else {
    raw.token = env.TANDEM_AGENT_TOKEN === "" ? undefined : env.TANDEM_AGENT_TOKEN;
    labels.token = raw.token === undefined ? "a token (--token-file FILE or TANDEM_AGENT_TOKEN)" : "TANDEM_AGENT_TOKEN";
  }
  raw.pools = flags.pool ?? [];

  const result = rawConfig.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues
        .map((issue) => {
          const [key, index] = issue.path;
          const label = key === "pools" ? `--pool ${String(flags.pool?.[Number(index)])}` : labels[String(key)];
          return `${label}${issue.message.startsWith("is ") ? " " : ": "}${issue.message}`;
        })
        .join("; "),
    );
  }

  const c = result.data;
  const paths = dataPaths(c.dataDir);
  const pools = c.pools.length > 0 ? c.pools : [{ name: "default", dir: paths.defaultPool }];
  const seen = new Set<string>();
  for (const pool of pools) {
    if (seen.has(pool.name)) throw new ConfigError(`--pool: pool ${pool.name} is given more than once`);
    seen.add(pool.name);
  }
  return {
    kind: "run",
    config: {
      name: c.name,
      listen: c.listen,
      token: c.token,
      dataDir: c.dataDir,
      paths,
      nbd: { host: c.nbdHost, port: c.nbdPort },
      pools,
      overcommitRatio: c.overcommitRatio,
    },
  };
}
