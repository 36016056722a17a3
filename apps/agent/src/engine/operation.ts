import type { PublishedEventType } from "../events/event-log";
import type { AgentState } from "../state/state-schema";
import { errorText } from "./storage-error";
import type { StorageContext } from "./storage-context";

export type PendingEvent = [PublishedEventType, Record<string, unknown>];

/**
 * One mutating operation. Each engine step that changed something registers how to undo it;
 * commit() writes the state file and makes everything so far permanent (the undo list is
 * cleared, the events go out). A failure before a commit undoes the uncommitted steps in
 * reverse order, so a failed request leaves the host as it found it.
 */
export class Operation {
  private undo: { what: string; fn: () => Promise<unknown> }[] = [];

  constructor(
    private readonly ctx: Pick<StorageContext, "store" | "publish" | "log">,
    readonly name: string,
  ) {}

  onUndo(what: string, fn: () => Promise<unknown>): void {
    this.undo.push({ what, fn });
  }

  async commit(next: AgentState, events: PendingEvent[] = []): Promise<void> {
    await this.ctx.store.save(next);
    this.undo = [];
    for (const [type, data] of events) this.ctx.publish(type, data);
  }

  async rollback(cause: unknown): Promise<void> {
    const steps = this.undo.reverse();
    this.undo = [];
    for (const step of steps) {
      try {
        await step.fn();
      } catch (err) {
        // Best effort: what is left over is reconciled at the next QSD start.
        this.ctx.log.error("rollback step failed", { operation: this.name, step: step.what, error: errorText(err) });
      }
    }
    if (steps.length > 0) {
      this.ctx.log.warn("operation rolled back", { operation: this.name, steps: steps.length, cause: errorText(cause) });
    }
  }
}

/** Runs body as one queued operation; a throw rolls back its uncommitted steps and is rethrown. */
export function runOperation<T>(ctx: StorageContext, name: string, body: (op: Operation) => Promise<T>): Promise<T> {
  return ctx.queue.run(async () => {
    const op = new Operation(ctx, name);
    try {
      return await body(op);
    } catch (err) {
      await op.rollback(err);
      throw err;
    }
  });
}
