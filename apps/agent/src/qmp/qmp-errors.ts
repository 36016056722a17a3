/** QSD answered a command with `{ error: { class, desc } }`. */
export class QmpCommandError extends Error {
  constructor(
    readonly command: string,
    readonly errorClass: string,
    readonly desc: string,
  ) {
    super(`${command}: ${desc} (${errorClass})`);
    this.name = "QmpCommandError";
  }
}

/** The QMP connection failed, closed, timed out or spoke something that is not QMP. */
export class QmpConnectionError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "QmpConnectionError";
  }
}
