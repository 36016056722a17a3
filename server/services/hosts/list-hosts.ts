import { listHosts as listHostRows } from "@/server/db/host-store";
import type { Deps } from "@/server/services/deps";
import { toHostDto } from "./host-dto";

export async function listHosts(deps: Pick<Deps, "db">) {
  return (await listHostRows(deps.db)).map(toHostDto);
}
