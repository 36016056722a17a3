// Registers agents (and optionally their pair) from a hosts file: how `npm run up` and the
// tests tell the console about the local agents. Re-running it updates, never duplicates.
import fs from "node:fs/promises";
import { z } from "zod";
import { hostName, resourceName } from "@tandem/contracts/agent";
import { ensurePair, upsertHost } from "@/server/db/host-store";
import { appendEvent } from "@/server/db/event-store";
import type { Deps } from "@/server/services/deps";

export const hostsFile = z.object({
  hosts: z
    .array(z.object({ name: hostName, agentUrl: z.string().url(), agentToken: z.string().min(16) }))
    .min(1),
  pair: z.object({ name: resourceName, members: z.tuple([hostName, hostName]) }).optional(),
});
export type HostsFile = z.infer<typeof hostsFile>;

export async function readHostsFile(file: string): Promise<HostsFile> {
  let raw: unknown;
  try {
    raw = JSON.parse(await fs.readFile(file, "utf8"));
  } catch (e) {
    throw new Error(`cannot read hosts file ${file}: ${(e as Error).message}`);
  }
  const parsed = hostsFile.safeParse(raw);
  if (!parsed.success) throw new Error(`hosts file ${file}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  return parsed.data;
}

export async function registerHosts(deps: Pick<Deps, "db">, file: HostsFile, actor: string) {
  const ids = new Map<string, string>();
  for (const h of file.hosts) {
    const row = await upsertHost(deps.db, h);
    ids.set(h.name, row.id);
  }
  if (file.pair) {
    const [a, b] = file.pair.members;
    const ia = ids.get(a);
    const ib = ids.get(b);
    if (!ia || !ib) throw new Error(`pair ${file.pair.name} names a host that is not in the file`);
    await ensurePair(deps.db, file.pair.name, [
      { hostId: ia, nodeId: 0 },
      { hostId: ib, nodeId: 1 },
    ]);
  }
  for (const [name, id] of ids) {
    await appendEvent(deps.db, { kind: "host.registered", subjectType: "host", subjectId: id, actor, message: `${name} registered` });
  }
  return ids;
}
