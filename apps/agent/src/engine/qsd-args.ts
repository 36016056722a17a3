import type { HostPort } from "../config/host-port";

export const QSD_BINARY = "qemu-storage-daemon";

/** QEMU option strings split on commas; a literal comma in a value is written twice. */
export function escapeOptionValue(value: string): string {
  return value.replaceAll(",", ",,");
}

/** The chardev option that names our QMP socket; also how a stale QSD of ours is recognised. */
export function qmpChardevOption(qmpSocket: string): string {
  return `socket,path=${escapeOptionValue(qmpSocket)},server=on,wait=off,id=m0`;
}

export function qsdArgs(options: { qmpSocket: string; nbd: HostPort }): string[] {
  const { host, port } = options.nbd;
  return [
    "--chardev",
    qmpChardevOption(options.qmpSocket),
    "--monitor",
    "chardev=m0",
    "--nbd-server",
    `addr.type=inet,addr.host=${escapeOptionValue(host)},addr.port=${port}`,
  ];
}
