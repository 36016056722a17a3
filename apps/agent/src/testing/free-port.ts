import net from "node:net";

/**
 * A port that was free a moment ago. Another process may take it before it is used; tests
 * accept that small race rather than let QSD pick a port it cannot report back.
 */
export function freePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, host, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
