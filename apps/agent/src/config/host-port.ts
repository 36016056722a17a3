import { z } from "zod";

export interface HostPort {
  host: string;
  port: number;
}

const portNumber = z
  .string()
  .regex(/^[0-9]{1,5}$/, "port must be a number")
  .transform(Number)
  .pipe(z.number().int().min(0).max(65535, "port must be at most 65535"));

// Hostnames, IPv4 and bracketed IPv6. Commas are refused because the host ends up inside a
// QEMU option string, where a comma starts a new option.
const hostPart = z
  .string()
  .min(1, "host is missing")
  .regex(/^[A-Za-z0-9.:_-]+$/, "host may contain only letters, digits, '.', ':', '_' and '-'");

/** Parses "HOST:PORT" or "[IPv6]:PORT". Ports are checked against [minPort, 65535]. */
export function hostPortSchema(minPort: number) {
  return z.string().transform((value, ctx): HostPort => {
    const match = /^\[([^\]]+)\]:([^:]*)$/.exec(value) ?? /^([^:[\]]*):([^:]*)$/.exec(value);
    if (!match) {
      ctx.addIssue({ code: "custom", message: `expected HOST:PORT (IPv6 as [ADDR]:PORT), got ${JSON.stringify(value)}` });
      return z.NEVER;
    }
    const host = hostPart.safeParse(match[1]);
    const port = portNumber.safeParse(match[2]);
    const problem = host.error?.issues[0]?.message ?? port.error?.issues[0]?.message;
    if (problem || !host.success || !port.success) {
      ctx.addIssue({ code: "custom", message: `${problem} in ${JSON.stringify(value)}` });
      return z.NEVER;
    }
    if (port.data < minPort) {
      ctx.addIssue({ code: "custom", message: `port must be at least ${minPort} in ${JSON.stringify(value)}` });
      return z.NEVER;
    }
    return { host: host.data, port: port.data };
  });
}

export const hostSchema = hostPart;

export const nbdPortSchema = portNumber.pipe(z.number().min(1, "port must be at least 1"));

/** Formats an address for a URL: IPv6 needs brackets. */
export function formatHostPort({ host, port }: HostPort): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}
