// The bus across processes: every console or worker process publishes to one Redis channel and
// hears every event, its own included, so each process can fan events out to its own sockets.
// Messages are validated on the way in: another process's bug must not reach a browser.
import { Redis } from "ioredis";
import { realtimeEvent, type RealtimeEvent } from "./events";
import type { Bus } from "./bus";

export async function createRedisBus(url: string, opts: { channel?: string } = {}): Promise<Bus & { close: () => Promise<void> }> {
  const channel = opts.channel ?? "tandem:events";
  const pub = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 });
  const sub = new Redis(url, { lazyConnect: true });
  const handlers = new Set<(e: RealtimeEvent) => void>();
  try {
    await Promise.all([pub.connect(), sub.connect()]);
  } catch (e) {
    pub.disconnect();
    sub.disconnect();
    throw new Error(`cannot reach Redis at ${url.replace(/\/\/[^@]*@/, "//***@")}: ${(e as Error).message}`);
  }
  await sub.subscribe(channel);
  sub.on("message", (_ch: string, raw: string) => {
    let parsed;
    try {
      parsed = realtimeEvent.safeParse(JSON.parse(raw));
    } catch {
      return;
    }
    if (!parsed.success) return;
    for (const h of handlers) h(parsed.data);
  });
  return {
    publish(e) {
      void pub.publish(channel, JSON.stringify(realtimeEvent.parse(e))).catch((err: Error) => console.error("[bus] publish failed:", err.message));
    },
    subscribe(h) {
      handlers.add(h);
      return () => handlers.delete(h);
    },
    async close() {
      handlers.clear();
      await Promise.allSettled([sub.quit(), pub.quit()]);
    },
  };
}
