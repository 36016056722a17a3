// Shapes of what QSD sends on the QMP socket. Replies and events share the stream:
// a reply carries `return` or `error` (and our `id`), an event carries `event`.
import { z } from "zod";

export const qmpGreeting = z.object({
  QMP: z.object({
    version: z.object({
      qemu: z.object({ major: z.number(), minor: z.number(), micro: z.number() }),
      package: z.string(),
    }),
    capabilities: z.array(z.string()),
  }),
});

export const qmpEvent = z.object({
  event: z.string(),
  data: z.record(z.string(), z.unknown()).optional(),
  timestamp: z.object({ seconds: z.number(), microseconds: z.number() }),
});
export type QmpEvent = z.infer<typeof qmpEvent>;

export const qmpReturn = z.object({ id: z.unknown().optional(), return: z.unknown() });

export const qmpErrorReply = z.object({
  id: z.unknown().optional(),
  error: z.object({ class: z.string(), desc: z.string() }),
});

export const qmpServerMessage = z.union([qmpEvent, qmpErrorReply, qmpReturn]);
export type QmpServerMessage = z.infer<typeof qmpServerMessage>;

export const qmpVersion = z.object({
  qemu: z.object({ major: z.number(), minor: z.number(), micro: z.number() }),
  package: z.string(),
});
