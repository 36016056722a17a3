// @prisma/adapter-better-sqlite3 runs everything on one connection and serialises only
// transactions against each other: a plain query issued while another request's transaction is
// open runs *inside* that transaction, and is rolled back with it (seen: an operation row
// vanished when a racing mirror creation rolled back). This wrapper makes every statement
// outside a transaction wait until no transaction is open.
import type { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";

type Factory = InstanceType<typeof PrismaBetterSqlite3>;
type Adapter = Awaited<ReturnType<Factory["connect"]>>;

class Gate {
  #tail: Promise<void> = Promise.resolve();
  /** Resolves with a release function once everything queued before has released. */
  acquire(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((r) => (release = r));
    const ready = this.#tail.then(() => release);
    this.#tail = this.#tail.then(() => next);
    return ready;
  }
}

function wrapAdapter(inner: Adapter): Adapter {
  const gate = new Gate();
  const serial =
    <A extends unknown[], R>(fn: (...a: A) => Promise<R>) =>
    async (...a: A): Promise<R> => {
      const release = await gate.acquire();
      try {
        return await fn(...a);
      } finally {
        release();
      }
    };
  return new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === "queryRaw" || prop === "executeRaw" || prop === "executeScript") {
        return serial((target as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[prop]!.bind(target));
      }
      if (prop === "startTransaction") {
        return async (...a: unknown[]) => {
          const release = await gate.acquire();
          try {
            const tx = (await (target.startTransaction as unknown as (...x: unknown[]) => Promise<object>).apply(target, a)) as Record<string, unknown>;
            // The gate stays closed until the transaction ends, whichever way it ends.
            let done = false;
            const end = () => {
              if (done) return;
              done = true;
              release();
            };
            return new Proxy(tx, {
              get(t, p, r) {
                const v = Reflect.get(t, p, r);
                if ((p === "commit" || p === "rollback") && typeof v === "function") {
                  return async (...x: unknown[]) => {
                    try {
                      return await (v as (...y: unknown[]) => Promise<unknown>).apply(t, x);
                    } finally {
                      end();
                    }
                  };
                }
                return typeof v === "function" ? v.bind(t) : v;
              },
            });
          } catch (e) {
            release();
            throw e;
          }
        };
      }
      const v = Reflect.get(target, prop, receiver);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
}

export function serializeSqlite(factory: Factory): Factory {
  return new Proxy(factory, {
    get(target, prop, receiver) {
      if (prop === "connect") return async () => wrapAdapter(await target.connect());
      const v = Reflect.get(target, prop, receiver);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
}
