// Path parameters, validated before anything touches state, files or QSD.
import { resourceName } from "@tandem/contracts/agent";
import { guid } from "@tandem/contracts/storage";
import type { z } from "zod";
import { badRequest } from "./api-error";
import { zodMessage } from "./zod-message";

function param<T>(schema: z.ZodType<T>, label: string, value: string | undefined): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw badRequest(zodMessage(label, parsed.error));
  return parsed.data;
}

export const volumeParam = (p: Record<string, string>) => param(resourceName, "volume name", p.name);
export const snapshotParam = (p: Record<string, string>) => param(resourceName, "snapshot name", p.snap);
export const guidParam = (p: Record<string, string>) => param(guid, "GUID", p.guid);
export const mirrorParam = (p: Record<string, string>) => param(resourceName, "mirror name", p.name);
