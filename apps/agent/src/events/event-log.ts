import { randomUUID } from "node:crypto";
import { agentEvent, type AgentEvent } from "@tandem/contracts/agent";

export type PublishedEventType = Exclude<AgentEvent["type"], "hello">;
export type Publish = (type: PublishedEventType, data: Record<string, unknown>) => void;

/**
 * Numbered agent events with a bounded replay window. Consumers treat them as hints and
 * re-read state; `bootId` tells them that numbering restarted with a new agent process.
 */
export class EventLog {
  readonly bootId = randomUUID();
  private readonly buffer: AgentEvent[] = [];
  private readonly listeners = new Set<(event: AgentEvent) => void>();
  private seq = 0;
  /** Seq of the newest event dropped from the buffer: a client that saw it (or later) missed nothing. */
  private dropped = 0;

  constructor(private readonly capacity = 1_000) {}

  /** Seq of the newest event, 0 before the first. */
  get latestSeq(): number {
    return this.seq;
  }

  /** Seq of the oldest event still replayable (latestSeq + 1 when none is). */
  get oldestSeq(): number {
    return this.buffer[0]?.seq ?? this.seq + 1;
  }

  publish: Publish = (type, data) => {
    const event = agentEvent.parse({ seq: ++this.seq, time: new Date().toISOString(), type, data });
    this.buffer.push(event);
    if (this.buffer.length > this.capacity) this.dropped = this.buffer.shift()!.seq;
    for (const listener of this.listeners) listener(event);
  };

  /** A client resuming after `since` lost retained events exactly when since < replayFrom. */
  get replayFrom(): number {
    return this.dropped;
  }

  /**
   * High-rate samples (mirror progress): numbered like every event but not retained, so they
   * cannot push structural events out of the replay window. A client that reconnects re-reads
   * the current numbers instead.
   */
  publishLive: Publish = (type, data) => {
    const event = agentEvent.parse({ seq: ++this.seq, time: new Date().toISOString(), type, data });
    for (const listener of this.listeners) listener(event);
  };

  /** Retained events with seq > after, oldest first. */
  since(after: number): AgentEvent[] {
    return this.buffer.filter((e) => e.seq > after);
  }

  subscribe(listener: (event: AgentEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
