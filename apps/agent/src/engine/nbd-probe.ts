// Is the target's replication export there? A minimal NBD newstyle handshake: greeting, then
// NBD_OPT_INFO for the export name, then NBD_OPT_ABORT. No data is read or written. The mirror
// job only notices a dead link when it next writes; this probe also sees it on an idle volume,
// and lets the retry loop resume the job only when resuming can work.
import net from "node:net";

/** `silent`: nothing at the address answered at all (no greeting, no refusal): a dead link. */
export type ProbeResult = { ok: true } | { ok: false; why: string; silent?: boolean };

const NO_ANSWER = new Set(["ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH"]);

const IHAVEOPT = Buffer.from("IHAVEOPT");
const NBDMAGIC = Buffer.from("NBDMAGIC");
const REPLY_MAGIC = 0x3e889045565a9n;
const OPT_INFO = 6;
const OPT_ABORT = 2;
const REP_ACK = 1;
const REP_INFO = 3;
const REP_ERR_UNKNOWN = 0x80000006;
const FLAG_FIXED_NEWSTYLE = 1;
const FLAG_NO_ZEROES = 2;

function option(code: number, data: Buffer): Buffer {
  const head = Buffer.alloc(16);
  IHAVEOPT.copy(head, 0);
  head.writeUInt32BE(code, 8);
  head.writeUInt32BE(data.length, 12);
  return Buffer.concat([head, data]);
}

function infoRequest(exportName: string): Buffer {
  const name = Buffer.from(exportName, "utf8");
  const data = Buffer.alloc(4 + name.length + 2);
  data.writeUInt32BE(name.length, 0);
  name.copy(data, 4);
  data.writeUInt16BE(0, 4 + name.length); // no specific info requests
  return option(OPT_INFO, data);
}

/** Is an NBD server answering at host:port? The greeting alone; no export is opened. */
export function probeNbdServer(target: { host: string; port: number }, timeoutMs = 1_500): Promise<ProbeResult> {
  return probeNbdExport({ ...target, exportName: null }, timeoutMs);
}

/** `exportName` null: stop after the server's greeting (see probeNbdServer). */
export function probeNbdExport(target: { host: string; port: number; exportName: string | null }, timeoutMs = 1_500): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let buffer = Buffer.alloc(0);
    let stage: "greeting" | "replies" = "greeting";
    let done = false;
    const socket = net.createConnection({ host: target.host, port: target.port });
    const finish = (result: ProbeResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (socket.writable) socket.end(option(OPT_ABORT, Buffer.alloc(0)));
      socket.destroySoon();
      resolve(result);
    };
    const timer = setTimeout(() => {
      finish({ ok: false, why: `no NBD answer from ${target.host}:${target.port} within ${timeoutMs} ms`, silent: buffer.length === 0 });
      socket.destroy();
    }, timeoutMs);
    socket.on("error", (err: NodeJS.ErrnoException) => finish({ ok: false, why: `${target.host}:${target.port}: ${err.code ?? err.message}`, silent: NO_ANSWER.has(err.code ?? "") }));
    socket.on("close", () => finish({ ok: false, why: `${target.host}:${target.port} closed the connection` }));
    socket.on("data", (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (stage === "greeting") {
        if (buffer.length < 18) return;
        if (!buffer.subarray(0, 8).equals(NBDMAGIC) || !buffer.subarray(8, 16).equals(IHAVEOPT)) {
          return finish({ ok: false, why: `${target.host}:${target.port} is not an NBD server` });
        }
        const flags = Buffer.alloc(4);
        flags.writeUInt32BE(FLAG_FIXED_NEWSTYLE | FLAG_NO_ZEROES);
        // Greeting only: our flags, then finish() says NBD_OPT_ABORT, so the server ends cleanly.
        if (target.exportName === null) {
          socket.write(flags);
          return finish({ ok: true });
        }
        socket.write(Buffer.concat([flags, infoRequest(target.exportName)]));
        buffer = buffer.subarray(18);
        stage = "replies";
      }
      // Replies: magic(8) option(4) type(4) length(4) data(length); NBD_REP_INFO items come before
      // the ACK. The header alone decides: QSD 7.2 writes a reply's header and data separately,
      // and Nagle holds the data back until our delayed ACK (about 40 ms on every probe).
      while (buffer.length >= 20) {
        if (buffer.readBigUInt64BE(0) !== REPLY_MAGIC) return finish({ ok: false, why: "malformed NBD option reply" });
        const type = buffer.readUInt32BE(12);
        if (type === REP_ACK || type === REP_INFO) return finish({ ok: true });
        if (type === REP_ERR_UNKNOWN) {
          return finish({ ok: false, why: `${target.host}:${target.port} does not offer export ${target.exportName}` });
        }
        if (type >= 0x80000000) return finish({ ok: false, why: `NBD error ${type.toString(16)} for export ${target.exportName}` });
        const length = buffer.readUInt32BE(16);
        if (buffer.length < 20 + length) return;
        buffer = buffer.subarray(20 + length);
      }
    });
  });
}
