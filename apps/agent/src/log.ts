// Plain one-line logs on stderr (stdout carries only the "listening on" line a supervisor can parse).
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

function formatFields(fields: LogFields | undefined): string {
  if (!fields) return "";
  return Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => {
      const s = String(v);
      return ` ${k}=${/[\s"=]/.test(s) || s === "" ? JSON.stringify(s) : s}`;
    })
    .join("");
}

export function createLogger(write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  const emit = (level: string) => (message: string, fields?: LogFields) =>
    write(`${new Date().toISOString()} ${level} ${message}${formatFields(fields)}\n`);
  return { info: emit("info"), warn: emit("warn"), error: emit("error") };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
