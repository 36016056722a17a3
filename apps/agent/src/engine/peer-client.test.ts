import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../testing/free-port";
import { httpPeerClient } from "./peer-client";

const GUID = `6${"1".repeat(31)}`;
let server: http.Server;
let url: string;
let answer: { status: number; body: string };
let seen: { path?: string; auth?: string; body?: string } = {};

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      seen = { path: req.url, auth: req.headers.authorization, body };
      res.writeHead(answer.status, { "content-type": "application/json" });
      res.end(answer.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise((r) => server.close(r)));

const peer = () => ({ name: "host-b", url, token: "peer-token-0123456789" });
const err = (code: string, message = "m") => JSON.stringify({ error: { code, message } });

describe("peer client", () => {
  it.each([
    [200, "{}", { kind: "standby" }],
    [404, err("not_found"), { kind: "absent" }],
    [404, "<html>not found</html>", { kind: "refused", why: expect.stringMatching(/without being a Tandem agent/) }],
    [401, err("unauthorized"), { kind: "refused", why: "refused our token" }],
    [409, err("alua_disabled", "ALUA is disabled on this host"), { kind: "refused", why: "refused (ALUA is disabled on this host)" }],
    [503, err("qsd_unavailable", "restoring"), { kind: "unreachable", why: "failed (restoring)" }],
  ])("HTTP %i → %j", async (status, body, expected) => {
    answer = { status, body };
    expect(await httpPeerClient().standby(peer(), GUID, "host-a imports")).toEqual(expected);
    expect(seen).toEqual({ path: `/v1/lus/${GUID}/standby`, auth: "Bearer peer-token-0123456789", body: '{"reason":"host-a imports"}' });
  });

  it("reports a closed port as unreachable", async () => {
    const outcome = await httpPeerClient().standby({ ...peer(), url: `http://127.0.0.1:${await freePort()}` }, GUID, "x");
    expect(outcome).toEqual({ kind: "unreachable", why: "is unreachable (ECONNREFUSED)" });
  });
});
