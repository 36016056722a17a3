import { resourceName } from "@tandem/contracts/agent";
import { poolDetail, type PoolDetail } from "@tandem/contracts/storage";
import { z } from "zod";
import { provisionedBytes } from "../../engine/overcommit";
import type { StorageContext } from "../../engine/storage-context";
import { badRequest, notFound } from "../api-error";
import type { RouteHandler } from "../api-deps";
import { sendJson } from "../respond";
import { zodMessage } from "../zod-message";

async function detail(ctx: StorageContext, name: string): Promise<PoolDetail> {
  const info = await ctx.pools.info(name);
  const provisioned = provisionedBytes(ctx.store.state, name);
  return poolDetail.parse({
    ...info,
    provisionedBytes: provisioned,
    overcommitRatio: ctx.overcommitRatio,
    availableToProvisionBytes: Math.floor(info.capacityBytes * ctx.overcommitRatio) - provisioned,
  });
}

/** GET /v1/pools/:name → PoolDetail */
export const getPool: RouteHandler = async ({ res, params, deps }) => {
  const name = resourceName.safeParse(params.name);
  if (!name.success) throw badRequest(zodMessage("pool name", name.error));
  if (!deps.pools.has(name.data)) throw notFound(`no pool named ${name.data} on this host`);
  sendJson(res, 200, await detail(deps.storage, name.data));
};

/** GET /v1/pools → PoolDetail[] */
export const listPools: RouteHandler = async ({ res, deps }) => {
  const pools = await Promise.all(deps.pools.names().map((n) => detail(deps.storage, n)));
  sendJson(res, 200, z.array(poolDetail).parse(pools));
};
