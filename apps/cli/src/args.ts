// Local checks of what the user typed, with the same rules the console applies, so that a typo
// fails at once with a message that names the argument (exit code 2) instead of a round trip.
import { z } from "zod";
import { hostName, resourceName } from "@tandem/contracts/agent";
import { aliasInput, guid, parseSize, sizeInput } from "@tandem/contracts/storage";
import { UsageError } from "./config";

export { aliasInput, guid, hostName, resourceName, sizeInput };

/** `HOST/NAME`, as the console spells a volume (same rule as the console's `volumeRef`). */
export const volumeRef = z
  .string()
  .trim()
  .transform((s, ctx) => {
    const [host, name, ...rest] = s.split("/");
    if (rest.length || !hostName.safeParse(host).success || !resourceName.safeParse(name).success) {
      ctx.addIssue({ code: "custom", message: "write a volume as HOST/NAME, e.g. h1/vol-a (names: a-z, 0-9, '.', '_', '-'; no '..')" });
      return z.NEVER;
    }
    return `${host}/${name}`;
  });

/** `on`/`off` (also true/false, yes/no, 1/0). */
export const onOff = z
  .string()
  .trim()
  .toLowerCase()
  .transform((s, ctx) => {
    if (["on", "true", "yes", "1"].includes(s)) return true;
    if (["off", "false", "no", "0"].includes(s)) return false;
    ctx.addIssue({ code: "custom", message: "must be on or off" });
    return z.NEVER;
  });

/** Repeated `--node HOST=ID` into `{ HOST: ID }`; ids are ALUA node ids 0 or 1, each host once. */
export const nodeAssignments = z.array(z.string()).transform((items, ctx) => {
  const out: Record<string, 0 | 1> = {};
  for (const item of items) {
    const m = /^([^=]+)=([01])$/.exec(item.trim());
    if (!m || !hostName.safeParse(m[1]).success) {
      ctx.addIssue({ code: "custom", message: `"${item}" is not HOST=ID with ID 0 or 1, e.g. h1=0` });
      return z.NEVER;
    }
    if (m[1]! in out) {
      ctx.addIssue({ code: "custom", message: `host ${m[1]} is given twice` });
      return z.NEVER;
    }
    out[m[1]!] = Number(m[2]) as 0 | 1;
  }
  return out;
});

/**
 * A new mirror's name: a resource name that starts with a letter, because the agents also use it
 * as the engine's job id (which must start with one).
 */
export const mirrorName = resourceName.refine((s) => /^[a-z]/.test(s), "must start with a letter a-z (it is also the engine's job id)");

export const mirrorMode = z.enum(["sync", "async"], { error: "must be sync or async" });

/** Bytes per second, as a size (`100M`, optionally `100M/s`), or 0 for unlimited. */
export const speedLimit = z
  .string()
  .trim()
  .transform((s, ctx) => {
    const text = s.replace(/\/s$/i, "");
    if (/^0+$/.test(text)) return 0;
    const r = parseSize(text);
    if (!r.ok) {
      ctx.addIssue({ code: "custom", message: `${r.error}; or 0 for unlimited` });
      return z.NEVER;
    }
    return r.bytes;
  });

const RPO_MAX_SECONDS = 7 * 86_400;
const RPO_UNIT: Record<string, number> = { "": 1, s: 1, m: 60, h: 3600 };

/** "90", "90s", "5m", "1h" in seconds; NaN when it is not such a time. */
function timeSeconds(s: string): number {
  const m = /^(\d+)([smh]?)$/.exec(s);
  return m ? Number(m[1]) * RPO_UNIT[m[2]!]! : NaN;
}

/** An RPO target: whole seconds (optionally with s, m or h), at most a week. */
export const rpoSeconds = z
  .string()
  .trim()
  .toLowerCase()
  .transform((s, ctx) => {
    const n = timeSeconds(s);
    if (!Number.isSafeInteger(n) || n > RPO_MAX_SECONDS) {
      ctx.addIssue({ code: "custom", message: `must be whole seconds from 0 to ${RPO_MAX_SECONDS} (a week), e.g. 30, 90s, 5m, 1h` });
      return z.NEVER;
    }
    return n;
  });

/** An RPO target in seconds, or `none` (null) to clear it. */
export const rpoOrNone = z
  .string()
  .trim()
  .toLowerCase()
  .transform((s, ctx) => {
    if (s === "none") return null;
    const r = rpoSeconds.safeParse(s);
    if (!r.success) {
      ctx.addIssue({ code: "custom", message: `${r.error.issues[0]!.message}; or none to clear it` });
      return z.NEVER;
    }
    return r.data;
  });

/**
 * Automatic failover: after how long without the source (seconds, or with s, m, h; 5 s to 1 h),
 * or `off` (null).
 */
export const autoFailover = z
  .string()
  .trim()
  .toLowerCase()
  .transform((s, ctx) => {
    if (s === "off") return null;
    const n = timeSeconds(s);
    if (!Number.isSafeInteger(n) || n < 5 || n > 3600) {
      ctx.addIssue({ code: "custom", message: "must be a time from 5 s to 1 h (e.g. 30, 90s, 5m) or off" });
      return z.NEVER;
    }
    return n;
  });

export const description = z.string().trim().max(500, "must be at most 500 characters").regex(/^[^\x00-\x1f\x7f]*$/, "must be one line of printable text");

export const limit = z
  .string()
  .regex(/^\d+$/, "must be a whole number from 1 to 500")
  .transform(Number)
  .pipe(z.number().int().min(1, "must be at least 1").max(500, "must be at most 500"));

/**
 * Parses `raw` with `schema`; on failure throws a UsageError naming the argument by its label
 * (`--size`, `VOLUME`) and quoting what was typed.
 */
export function parseArgs<S extends z.ZodType>(schema: S, raw: Record<string, unknown>, labels: Record<string, string>): z.output<S> {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const key = String(issue.path[0] ?? "");
  const label = labels[key] ?? key;
  const value = raw[key];
  const shown = typeof value === "string" && (value === "" || !issue.message.includes(value)) ? ` "${value}"` : "";
  throw new UsageError(`bad ${label}${shown}: ${issue.message}`);
}
