import { z } from "zod";
import { findHostByName } from "@/server/db/host-store";
import { listEvents } from "@/server/db/event-store";
import { hostName } from "@tandem/contracts/agent";
import { notFound } from "@/server/domain/errors";
import type { Deps } from "@/server/services/deps";
import { toHostDto } from "./host-dto";

export const getHostInput = z.object({ name: hostName });

export async function getHost(deps: Pick<Deps, "db">, input: z.infer<typeof getHostInput>) {
  const host = await findHostByName(deps.db, input.name);
  if (!host) throw notFound(`host ${input.name}`);
  const events = await listEvents(deps.db, { subjectType: "host", subjectId: host.id, limit: 50 });
  return {
    host: toHostDto(host),
    events: events.map((e) => ({ id: e.id, at: e.at.toISOString(), kind: e.kind, actor: e.actor, message: e.message })),
  };
}
