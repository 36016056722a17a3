import type { IncomingMessage } from "node:http";
import type { z } from "zod";
import { ApiError, badRequest } from "./api-error";
import { zodMessage } from "./zod-message";

/** Requests are small JSON documents; anything bigger is refused before it is read whole. */
export const MAX_BODY_BYTES = 64 * 1024;

const tooLarge = (max: number) => new ApiError(413, "too_large", `the request body is over ${max} bytes`);

async function readText(req: IncomingMessage, max: number): Promise<string> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > max) {
    req.resume(); // drain, so the refusal reaches the client
    throw tooLarge(max);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) {
      req.resume();
      throw tooLarge(max);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Reads and validates a JSON body. An empty body counts as `{}`, so action routes (standby,
 * revert) may be called without one. Unknown fields are refused by the strict schemas. `maxBytes`
 * is raised only by routes whose bodies are lists (copy-ranges).
 */
export async function readJsonBody<T>(req: IncomingMessage, schema: z.ZodType<T>, maxBytes = MAX_BODY_BYTES): Promise<T> {
  const type = req.headers["content-type"];
  const text = await readText(req, maxBytes);
  let json: unknown = {};
  if (text.trim() !== "") {
    if (type !== undefined && !/^application\/json\s*(;|$)/i.test(type)) {
      throw new ApiError(415, "unsupported_media_type", `send the body as application/json (got ${type.slice(0, 100)})`);
    }
    try {
      json = JSON.parse(text);
    } catch {
      throw badRequest("body: not valid JSON");
    }
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw badRequest(zodMessage("body", parsed.error));
  return parsed.data;
}
