// The realtime bus: workers publish, the socket.io layer fans out. In-process by default;
// a Redis-backed bus can replace it without the publishers noticing.
import { EventEmitter } from "node:events";
import { realtimeEvent, type RealtimeEvent } from "./events";

export interface Bus {
  publish(e: RealtimeEvent): void;
  subscribe(handler: (e: RealtimeEvent) => void): () => void;
}

export function createLocalBus(): Bus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    publish(e) {
      // Validate at the boundary: a malformed event is a bug in the publisher, not a browser's problem.
      emitter.emit("event", realtimeEvent.parse(e));
    },
    subscribe(handler) {
      emitter.on("event", handler);
      return () => emitter.off("event", handler);
    },
  };
}
