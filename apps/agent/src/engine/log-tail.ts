import { closeSync, fstatSync, openSync, readSync } from "node:fs";

/** The last non-empty line of a log file (bounded), to explain why QSD stopped. */
export function lastLogLine(file: string, maxBytes = 4096): string | null {
  let fd: number | undefined;
  try {
    fd = openSync(file, "r");
    const size = fstatSync(fd).size;
    const length = Math.min(size, maxBytes);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    const lines = buffer.toString("utf8").split("\n").map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("==="));
    const last = lines.at(-1);
    return last ? last.slice(0, 300) : null;
  } catch {
    return null;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
