import { QmpCommandError, QmpConnectionError } from "../qmp/qmp-errors";

export type StorageErrorCode =
  | "bad_request"
  | "not_found"
  | "exists"
  | "in_use"
  | "overcommit"
  | "shrink_refused"
  | "alua_disabled"
  | "wrong_state"
  | "peer_refused"
  | "stale_epoch"
  | "size_mismatch"
  | "peer_unreachable"
  | "qsd_unavailable"
  | "engine_error";

/** A refusal or failure of a storage operation, worded for the admin; the API maps the code to a status. */
export class StorageError extends Error {
  constructor(
    readonly code: StorageErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "StorageError";
  }
}

export const notFound = (message: string) => new StorageError("not_found", message);

/** Wraps what QSD or a tool said about a failed step, keeping QSD's own words. */
export function engineFailure(step: string, err: unknown): StorageError {
  if (err instanceof StorageError) return err;
  if (err instanceof QmpConnectionError) {
    return new StorageError("qsd_unavailable", `${step}: lost qemu-storage-daemon (${err.message}); try again shortly`);
  }
  if (err instanceof QmpCommandError) return new StorageError("engine_error", `${step}: ${err.desc}`);
  return new StorageError("engine_error", `${step}: ${(err as Error).message}`);
}

export function errorText(err: unknown): string {
  return err instanceof QmpCommandError ? err.desc : (err as Error).message;
}
