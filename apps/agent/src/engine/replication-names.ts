/** Id and NBD name of a replication export: never a GUID, so never a client export's name. */
export const replExportId = (mirror: string) => `repl-${mirror}`;

/** Where to connect to our own NBD server: a wildcard listen address is reached on loopback. */
export function connectHost(host: string): string {
  if (host === "0.0.0.0") return "127.0.0.1";
  if (host === "::" || host === "[::]") return "::1";
  return host;
}

export const nbdUri = (host: string, port: number, name: string) =>
  `nbd://${host.includes(":") ? `[${host}]` : host}:${port}/${encodeURIComponent(name)}`;
