/** The one error type of the API: an HTTP status, a stable code and a message for a person. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export const badRequest = (message: string) => new ApiError(400, "bad_request", message);
export const notFound = (message: string) => new ApiError(404, "not_found", message);

/** HTTP status of each storage refusal (see STORAGE_CONFLICT_CODES in the contract). */
export const storageStatus: Record<string, number> = {
  bad_request: 400,
  not_found: 404,
  exists: 409,
  in_use: 409,
  overcommit: 409,
  shrink_refused: 409,
  alua_disabled: 409,
  wrong_state: 409,
  peer_refused: 409,
  stale_epoch: 409,
  size_mismatch: 409,
  engine_error: 500,
  peer_unreachable: 503,
  qsd_unavailable: 503,
};
