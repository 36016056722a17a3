// Turns names from users (`h1/vol-a`, a GUID) into rows, with errors that say what is missing.
import { z } from "zod";
import { hostName, resourceName } from "@tandem/contracts/agent";
import { findHostByName } from "@/server/db/host-store";
import { findVolume } from "@/server/db/storage-store";
import { badRequest, notFound } from "@/server/domain/errors";
import type { Deps } from "@/server/services/deps";

/** `HOST/NAME`, as the CLI and the API spell a volume. */
export const volumeRef = z
  .string()
  .trim()
  .transform((s, ctx) => {
    const [host, name, ...rest] = s.split("/");
    const h = hostName.safeParse(host);
    const n = resourceName.safeParse(name);
    if (rest.length || !h.success || !n.success) {
      ctx.addIssue({ code: "custom", message: `"${s}" is not a volume: write HOST/NAME, e.g. h1/vol-a (names: a-z, 0-9, . _ -)` });
      return z.NEVER;
    }
    return { host: h.data, name: n.data };
  });

export async function requireHost(deps: Pick<Deps, "db">, name: string) {
  const host = await findHostByName(deps.db, name);
  if (!host) throw notFound(`host ${name}`);
  return host;
}

export async function requireVolume(deps: Pick<Deps, "db">, ref: { host: string; name: string }) {
  const host = await requireHost(deps, ref.host);
  const vol = await findVolume(deps.db, host.id, ref.name);
  if (!vol) throw notFound(`volume ${ref.host}/${ref.name}`);
  return { host, vol };
}

export function requireSnapshot(vol: { name: string; snapshots: { name: string }[] }, host: string, snap: string) {
  const s = vol.snapshots.find((x) => x.name === snap);
  if (!s) throw notFound(`snapshot ${snap} of ${host}/${vol.name}`);
  return s;
}

export function refuse(message: string): never {
  throw badRequest(message);
}
