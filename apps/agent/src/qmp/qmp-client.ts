import net from "node:net";
import { z } from "zod";
import { createLineDecoder } from "./line-decoder";
import { QmpCommandError, QmpConnectionError } from "./qmp-errors";
import { qmpErrorReply, qmpEvent, qmpGreeting, qmpReturn, type QmpEvent } from "./qmp-messages";

export type QmpGreeting = z.infer<typeof qmpGreeting>;

interface Pending {
  command: string;
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

export interface QmpConnectOptions {
  /** Bound on connect + greeting + capabilities negotiation. */
  timeoutMs?: number;
  /** Default bound on each command; a reply arriving later is ignored. */
  commandTimeoutMs?: number;
  warn?: (message: string) => void;
}

/**
 * One QMP session over a unix socket: greeting, `qmp_capabilities`, then commands matched to
 * replies by id. Async events go to `onEvent` listeners, never to a command's promise.
 */
export class QmpClient {
  /** Resolves once the socket is closed, with the reason unless it was our own close(). */
  readonly closed: Promise<Error | undefined>;

  private greetingValue: QmpGreeting | undefined;
  private readonly greeted: Promise<QmpGreeting>;
  private onGreeting: { resolve: (g: QmpGreeting) => void; reject: (e: Error) => void } | undefined;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(event: QmpEvent) => void>();
  private nextId = 1;
  private closeReason: Error | undefined;
  private closedByUs = false;
  private isClosed = false;

  /** Connects, reads the greeting and leaves negotiation mode. Rejects with QmpConnectionError. */
  static async connect(socketPath: string, options: QmpConnectOptions = {}): Promise<QmpClient> {
    const timeoutMs = options.timeoutMs ?? 5_000;
    const client = new QmpClient(net.createConnection(socketPath), socketPath, options);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new QmpConnectionError(`no QMP greeting on ${socketPath} within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([client.greeted, timeout]);
      await client.execute("qmp_capabilities", undefined, { timeoutMs });
      return client;
    } catch (err) {
      client.close();
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  private constructor(
    private readonly socket: net.Socket,
    socketPath: string,
    private readonly options: QmpConnectOptions,
  ) {
    this.greeted = new Promise((resolve, reject) => (this.onGreeting = { resolve, reject }));
    this.greeted.catch(() => {}); // observed through connect(); avoid an unhandled rejection
    let markClosed: (reason: Error | undefined) => void = () => {};
    this.closed = new Promise((resolve) => (markClosed = resolve));

    socket.on("data", createLineDecoder((line) => this.handleLine(line)));
    socket.on("error", (err) => {
      this.closeReason ??= new QmpConnectionError(`QMP connection to ${socketPath} failed: ${err.message}`, { cause: err });
    });
    socket.on("close", () => {
      this.isClosed = true;
      const reason = this.closeReason ?? new QmpConnectionError(`QMP connection to ${socketPath} closed`);
      this.onGreeting?.reject(reason);
      for (const [id, p] of this.pending) {
        clearTimeout(p.timer);
        this.pending.delete(id);
        p.reject(reason);
      }
      markClosed(this.closedByUs ? undefined : reason);
    });
  }

  get greeting(): QmpGreeting {
    if (!this.greetingValue) throw new Error("QMP greeting not received yet");
    return this.greetingValue;
  }

  get isOpen(): boolean {
    return !this.isClosed;
  }

  onEvent(listener: (event: QmpEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Runs one command. `returns` validates the reply; without it the result is `unknown`. */
  execute<T = unknown>(
    command: string,
    args?: Record<string, unknown>,
    options: { returns?: z.ZodType<T>; timeoutMs?: number } = {},
  ): Promise<T> {
    if (this.isClosed) {
      return Promise.reject(new QmpConnectionError(`QMP connection is closed; cannot run ${command}`));
    }
    const id = this.nextId++;
    const timeoutMs = options.timeoutMs ?? this.options.commandTimeoutMs ?? 30_000;
    const reply = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new QmpConnectionError(`${command}: no reply within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { command, resolve, reject, timer });
    });
    this.socket.write(`${JSON.stringify({ execute: command, ...(args ? { arguments: args } : {}), id })}\n`);
    return reply.then((value) => {
      if (!options.returns) return value as T;
      const parsed = options.returns.safeParse(value);
      if (!parsed.success) {
        throw new QmpConnectionError(`${command}: unexpected reply ${JSON.stringify(value)?.slice(0, 200)}`);
      }
      return parsed.data;
    });
  }

  /** Closes the socket; pending commands are rejected. */
  close(): void {
    this.closedByUs = true;
    this.closeReason ??= new QmpConnectionError("QMP connection closed by the agent");
    this.socket.destroy();
  }

  private handleLine(line: string): void {
    const message = safeJson(line);
    if (this.onGreeting) {
      const greeting = qmpGreeting.safeParse(message);
      if (!greeting.success) return this.protocolError("expected a QMP greeting", line);
      this.greetingValue = greeting.data;
      this.onGreeting.resolve(greeting.data);
      this.onGreeting = undefined;
      return;
    }
    if (typeof message !== "object" || message === null) return this.protocolError("not JSON", line);
    if ("event" in message) {
      const event = qmpEvent.safeParse(message);
      if (!event.success) return this.protocolError("malformed event", line);
      for (const listener of this.listeners) listener(event.data);
      return;
    }
    const id = "id" in message && typeof message.id === "number" ? message.id : undefined;
    const pending = id === undefined ? undefined : this.pending.get(id);
    if ("error" in message) {
      const reply = qmpErrorReply.safeParse(message);
      if (!reply.success) return this.protocolError("malformed error reply", line);
      if (!pending || id === undefined) {
        // QSD answers without an id only when it could not parse a request: a bug on our side.
        return this.options.warn?.(`QMP error without a waiting command: ${reply.data.error.desc}`);
      }
      this.settle(id);
      return pending.reject(new QmpCommandError(pending.command, reply.data.error.class, reply.data.error.desc));
    }
    if ("return" in message && qmpReturn.safeParse(message).success) {
      if (!pending || id === undefined) return; // the command timed out earlier
      this.settle(id);
      return pending.resolve(message.return);
    }
    this.protocolError("neither reply nor event", line);
  }

  private settle(id: number): void {
    clearTimeout(this.pending.get(id)?.timer);
    this.pending.delete(id);
  }

  // QSD never sends malformed lines; if it does, nothing on this connection can be trusted.
  private protocolError(what: string, line: string): void {
    this.closeReason = new QmpConnectionError(`QMP protocol error (${what}): ${line.slice(0, 200)}`);
    this.socket.destroy();
  }
}

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
