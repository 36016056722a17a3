// One error type for the whole console: a code, a message a person can act on, and whether
// retrying could help. tRPC's errorFormatter and the workers read these fields.
export type ErrorCode =
  | "BAD_REQUEST"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "PRECONDITION_FAILED"
  | "UNAVAILABLE"
  | "INTERNAL";

export class TandemError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  constructor(code: ErrorCode, message: string, opts: { retryable?: boolean; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = "TandemError";
    this.code = code;
    this.retryable = opts.retryable ?? code === "UNAVAILABLE";
  }
}

export const notFound = (what: string) => new TandemError("NOT_FOUND", `${what} does not exist`);
export const conflict = (message: string) => new TandemError("CONFLICT", message);
export const badRequest = (message: string) => new TandemError("BAD_REQUEST", message);
/** A rule of the current state forbids this; retrying will not help until the state changes. */
export const preconditionFailed = (message: string) => new TandemError("PRECONDITION_FAILED", message, { retryable: false });
