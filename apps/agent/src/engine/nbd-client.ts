// A small NBD client (protocol: github.com/NetworkBlockDevice/nbd doc/proto.md): fixed newstyle
// handshake, NBD_OPT_GO, then NBD_CMD_READ / WRITE / FLUSH / DISC with simple replies (structured
// replies are not negotiated, so a read's reply is a header followed by exactly the data asked
// for). Requests may be pipelined; replies are matched by cookie. Used by copy-ranges to move
// data from a peer's export into a local one: both sides are QSD NBD servers.
import net from "node:net";

const NBDMAGIC = Buffer.from("NBDMAGIC");
const IHAVEOPT = Buffer.from("IHAVEOPT");
const OPT_REPLY_MAGIC = 0x3e889045565a9n;
const REQUEST_MAGIC = 0x25609513;
const SIMPLE_REPLY_MAGIC = 0x67446698;

const FLAG_FIXED_NEWSTYLE = 1;
const FLAG_NO_ZEROES = 2;
const OPT_GO = 7;
const REP_ACK = 1;
const REP_INFO = 3;
const INFO_EXPORT = 0;
const TFLAG_READ_ONLY = 1 << 1;
const TFLAG_SEND_FLUSH = 1 << 2;
const TFLAG_SEND_WRITE_ZEROES = 1 << 6;

const CMD_READ = 0;
const CMD_WRITE = 1;
const CMD_DISC = 2;
const CMD_FLUSH = 3;
const CMD_WRITE_ZEROES = 6;

/** QEMU's NBD server refuses payloads over 32 MiB. */
export const NBD_MAX_REQUEST = 32 * 2 ** 20;

export interface NbdTarget {
  host: string;
  port: number;
  exportName: string;
}

/** nbd://HOST:PORT/EXPORT (IPv6 in brackets) → its parts; null when it is not such a URI. */
export function parseNbdUri(uri: string): NbdTarget | null {
  const m = /^nbd:\/\/(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9._-]+)):([0-9]{1,5})\/(.+)$/.exec(uri);
  if (!m) return null;
  const port = Number(m[3]);
  if (port < 1 || port > 65535) return null;
  let exportName: string;
  try {
    exportName = decodeURIComponent(m[4]!);
  } catch {
    return null;
  }
  return { host: m[1] ?? m[2]!, port, exportName };
}

export class NbdError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NbdError";
  }
}

interface Pending {
  type: number;
  length: number;
  resolve: (data: Buffer) => void;
  reject: (err: Error) => void;
}

/**
 * Reads exactly what is asked from a socket, in order (handshake and replies). Bytes go straight
 * into the buffer of the read waiting for them; only bytes that arrive before anyone asks are
 * copied aside. The socket reads into one reused 4 MiB buffer (`onread`), so each byte is
 * copied once.
 */
class ByteReader {
  private stash: Buffer[] = [];
  private waiter: { target: Buffer; filled: number; resolve: (b: Buffer) => void; reject: (e: Error) => void } | null = null;
  private failure: Error | null = null;

  /** `chunk` may be reused by the socket once this returns. */
  push(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      const w = this.waiter;
      if (!w) {
        this.stash.push(Buffer.from(chunk.subarray(at)));
        return;
      }
      const take = Math.min(w.target.length - w.filled, chunk.length - at);
      chunk.copy(w.target, w.filled, at, at + take);
      w.filled += take;
      at += take;
      if (w.filled === w.target.length) {
        this.waiter = null;
        w.resolve(w.target);
      }
    }
  }

  fail(err: Error): void {
    this.failure ??= err;
    const w = this.waiter;
    this.waiter = null;
    w?.reject(err);
  }

  read(n: number): Promise<Buffer> {
    if (this.failure) return Promise.reject(this.failure);
    const target = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n && this.stash.length > 0) {
      const head = this.stash[0]!;
      const take = Math.min(n - filled, head.length);
      head.copy(target, filled, 0, take);
      filled += take;
      if (take === head.length) this.stash.shift();
      else this.stash[0] = head.subarray(take);
    }
    if (filled === n) return Promise.resolve(target);
    return new Promise((resolve, reject) => {
      this.waiter = { target, filled, resolve, reject };
    });
  }
}

export class NbdConnection {
  private nextCookie = 1n;
  private readonly pending = new Map<bigint, Pending>();
  private closed: Error | null = null;

  private constructor(
    private readonly socket: net.Socket,
    private readonly reader: ByteReader,
    readonly size: number,
    readonly readOnly: boolean,
    readonly canFlush: boolean,
    readonly canWriteZeroes: boolean,
    readonly where: string,
  ) {}

  static async connect(target: NbdTarget, timeoutMs = 5_000): Promise<NbdConnection> {
    const where = `${target.exportName} at ${target.host}:${target.port}`;
    const reader = new ByteReader();
    const socket = net.createConnection({
      host: target.host,
      port: target.port,
      onread: { buffer: Buffer.allocUnsafe(4 * 2 ** 20), callback: (n: number, buf: Uint8Array) => (reader.push(Buffer.from(buf.buffer, buf.byteOffset, n)), true) },
    });
    socket.setNoDelay(true);
    socket.on("error", (err: NodeJS.ErrnoException) => reader.fail(new NbdError(`${where}: ${err.code ?? err.message}`)));
    socket.on("close", () => reader.fail(new NbdError(`${where}: the server closed the connection`)));
    const timer = setTimeout(() => {
      reader.fail(new NbdError(`${where}: no NBD handshake within ${timeoutMs} ms`));
      socket.destroy();
    }, timeoutMs);
    try {
      const { size, flags } = await handshake(socket, reader, target.exportName, where);
      const has = (flag: number) => (flags & flag) !== 0;
      const conn = new NbdConnection(socket, reader, size, has(TFLAG_READ_ONLY), has(TFLAG_SEND_FLUSH), has(TFLAG_SEND_WRITE_ZEROES), where);
      void conn.receiveLoop();
      return conn;
    } catch (err) {
      socket.destroy();
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  read(offset: number, length: number): Promise<Buffer> {
    return this.send(CMD_READ, offset, length);
  }

  async write(offset: number, data: Buffer): Promise<void> {
    if (this.readOnly) throw new NbdError(`${this.where}: the export is read only`);
    await this.send(CMD_WRITE, offset, data.length, data);
  }

  /** Zeroes a range without sending data; the server may punch a hole (the image stays thin). */
  async writeZeroes(offset: number, length: number): Promise<void> {
    if (this.readOnly) throw new NbdError(`${this.where}: the export is read only`);
    if (!this.canWriteZeroes) return this.write(offset, Buffer.alloc(length));
    await this.send(CMD_WRITE_ZEROES, offset, length);
  }

  async flush(): Promise<void> {
    if (this.canFlush) await this.send(CMD_FLUSH, 0, 0);
  }

  /** NBD_CMD_DISC, then the socket ends. Await every request first: pending ones fail. */
  close(): void {
    if (this.closed) return;
    this.socket.end(this.header(CMD_DISC, this.nextCookie++, 0, 0));
    this.closed = new NbdError(`${this.where}: closed`);
    for (const p of this.pending.values()) p.reject(this.closed);
    this.pending.clear();
  }

  private header(type: number, cookie: bigint, offset: number, length: number): Buffer {
    const h = Buffer.alloc(28);
    h.writeUInt32BE(REQUEST_MAGIC, 0);
    h.writeUInt16BE(0, 4); // command flags
    h.writeUInt16BE(type, 6);
    h.writeBigUInt64BE(cookie, 8);
    h.writeBigUInt64BE(BigInt(offset), 16);
    h.writeUInt32BE(length, 24);
    return h;
  }

  private send(type: number, offset: number, length: number, data?: Buffer): Promise<Buffer> {
    if (this.closed) return Promise.reject(this.closed);
    if (type !== CMD_WRITE_ZEROES && length > NBD_MAX_REQUEST) return Promise.reject(new NbdError(`request of ${length} bytes is over ${NBD_MAX_REQUEST}`));
    if (type !== CMD_FLUSH && offset + length > this.size) {
      return Promise.reject(new NbdError(`${this.where}: ${offset}+${length} is past the end (${this.size} bytes)`));
    }
    const cookie = this.nextCookie++;
    return new Promise<Buffer>((resolve, reject) => {
      this.pending.set(cookie, { type, length, resolve, reject });
      this.socket.write(this.header(type, cookie, offset, length));
      if (data) this.socket.write(data);
    });
  }

  private async receiveLoop(): Promise<void> {
    try {
      for (;;) {
        const head = await this.reader.read(16);
        if (head.readUInt32BE(0) !== SIMPLE_REPLY_MAGIC) throw new NbdError(`${this.where}: unexpected reply magic ${head.readUInt32BE(0).toString(16)}`);
        const error = head.readUInt32BE(4);
        const cookie = head.readBigUInt64BE(8);
        const p = this.pending.get(cookie);
        if (!p) throw new NbdError(`${this.where}: a reply to a request never sent`);
        this.pending.delete(cookie);
        if (error !== 0) {
          p.reject(new NbdError(`${this.where}: ${commandName(p.type)} failed with NBD error ${error} (${errnoName(error)})`));
          continue;
        }
        // A simple reply carries the data only for a successful read.
        p.resolve(p.type === CMD_READ ? await this.reader.read(p.length) : Buffer.alloc(0));
      }
    } catch (err) {
      this.closed ??= err as Error;
      for (const p of this.pending.values()) p.reject(this.closed);
      this.pending.clear();
      this.socket.destroy();
    }
  }
}

const commandName = (type: number) => ["read", "write", "disconnect", "flush", "trim", "cache", "write zeroes"][type] ?? `command ${type}`;
const errnoName = (e: number) => ({ 1: "EPERM", 5: "EIO", 12: "ENOMEM", 22: "EINVAL", 28: "ENOSPC", 75: "EOVERFLOW", 95: "ENOTSUP", 108: "ESHUTDOWN" })[e] ?? "error";

function option(code: number, data: Buffer): Buffer {
  const head = Buffer.alloc(16);
  IHAVEOPT.copy(head, 0);
  head.writeUInt32BE(code, 8);
  head.writeUInt32BE(data.length, 12);
  return Buffer.concat([head, data]);
}

async function handshake(socket: net.Socket, reader: ByteReader, exportName: string, where: string): Promise<{ size: number; flags: number }> {
  const greeting = await reader.read(18);
  if (!greeting.subarray(0, 8).equals(NBDMAGIC) || !greeting.subarray(8, 16).equals(IHAVEOPT)) {
    throw new NbdError(`${where}: not an NBD server (newstyle)`);
  }
  const serverFlags = greeting.readUInt16BE(16);
  if ((serverFlags & FLAG_FIXED_NEWSTYLE) === 0) throw new NbdError(`${where}: the server does not speak fixed newstyle`);
  const clientFlags = Buffer.alloc(4);
  clientFlags.writeUInt32BE(FLAG_FIXED_NEWSTYLE | (serverFlags & FLAG_NO_ZEROES));
  const name = Buffer.from(exportName, "utf8");
  const go = Buffer.alloc(4 + name.length + 2);
  go.writeUInt32BE(name.length, 0);
  name.copy(go, 4);
  go.writeUInt16BE(0, 4 + name.length); // no extra information requested: NBD_INFO_EXPORT always comes
  socket.write(Buffer.concat([clientFlags, option(OPT_GO, go)]));

  let size: number | null = null;
  let flags = 0;
  for (;;) {
    const head = await reader.read(20);
    if (head.readBigUInt64BE(0) !== OPT_REPLY_MAGIC) throw new NbdError(`${where}: malformed option reply`);
    const type = head.readUInt32BE(12);
    const length = head.readUInt32BE(16);
    const data = length > 0 ? await reader.read(length) : Buffer.alloc(0);
    if (type === REP_INFO && data.length >= 12 && data.readUInt16BE(0) === INFO_EXPORT) {
      size = Number(data.readBigUInt64BE(2));
      flags = data.readUInt16BE(10);
    } else if (type === REP_ACK) {
      if (size === null) throw new NbdError(`${where}: the server did not say the export's size`);
      return { size, flags };
    } else if (type >= 0x80000000) {
      const said = data.toString("utf8").trim();
      const unknown = type === 0x80000006 ? "no such export" : `NBD option error ${type.toString(16)}`;
      throw new NbdError(`${where}: ${said || unknown}`);
    }
  }
}
