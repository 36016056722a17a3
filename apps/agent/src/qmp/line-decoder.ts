import { StringDecoder } from "node:string_decoder";

/**
 * QMP frames one JSON document per line (QSD ends lines with \r\n). Chunks from a socket
 * can split a line, or a multi-byte UTF-8 character, anywhere: buffer until a newline.
 */
export function createLineDecoder(onLine: (line: string) => void) {
  const decoder = new StringDecoder("utf8");
  let pending = "";
  return (chunk: Buffer) => {
    pending += decoder.write(chunk);
    let newline;
    while ((newline = pending.indexOf("\n")) >= 0) {
      const line = pending.slice(0, newline).replace(/\r$/, "");
      pending = pending.slice(newline + 1);
      if (line.trim() !== "") onLine(line);
    }
  };
}
