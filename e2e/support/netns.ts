// Two storage hosts in network namespaces of their own, for tests that cut links for real.
//
//              root namespace (console, test process, clients)
//                 │ console link h1          │ console link h2
//           ┌─────┴─────┐              ┌─────┴─────┐
//           │  netns h1 │── hosts ─────│  netns h2 │
//           └───────────┘   link       └───────────┘
//
// Each host has one address of its own (a /32 on its loopback) on which its agent API and its
// NBD server listen. Routes decide the path: the root namespace reaches a host over that host's
// console link, the hosts reach each other over the hosts link only. So replication (the
// source's NBD client to the target's replication export) and agent-to-agent calls (ALUA, epoch
// checks) cross the hosts link, and cutting it partitions the hosts while the console still sees
// both. Namespaces do not forward, so no path between the hosts goes through the root namespace.
//
// Names carry the owning process id: a later run deletes what a crashed run left behind, and
// never what a live run is using.
import { execFile } from "node:child_process";
import crypto from "node:crypto";
import { promisify } from "node:util";
import { isAlive } from "./stack";

const run = promisify(execFile);
const NS_PREFIX = "tandem-net-";
const LINK_PREFIX = "tn";

export type LinkName = "hosts" | `console-${string}`;
export type HostNet = { name: string; netns: string; address: string };

/** A veth pair: per end its namespace (null: root), device and address; the routes that use it. */
type Link = {
  ns: [string | null, string | null];
  dev: [string, string];
  addr: [string, string];
  /** In which namespace, to which host address, through which gateway. */
  routes: { ns: string | null; dest: string; via: string }[];
};

const ip = (...args: string[]) => run("ip", args, { timeout: 10_000 });

function ownerTag(pid: number): string {
  return pid.toString(36).padStart(5, "0");
}

/** Deletes namespaces and links of earlier runs whose process is gone (and the processes in them). */
export async function removeLeftoverNets(): Promise<string[]> {
  const removed: string[] = [];
  const { stdout: nsList } = await ip("netns", "list");
  for (const line of nsList.split("\n")) {
    const name = line.split(" ")[0] ?? "";
    const m = name.startsWith(NS_PREFIX) ? /^tandem-net-([0-9a-z]{5})-/.exec(name) : null;
    if (!m || isAlive(parseInt(m[1]!, 36))) continue;
    await killNamespaceProcesses(name);
    await ip("netns", "del", name).catch(() => {});
    removed.push(name);
  }
  const { stdout: links } = await ip("-o", "link", "show");
  for (const line of links.split("\n")) {
    const dev = /^\d+: ([^:@]+)/.exec(line)?.[1];
    const m = dev ? new RegExp(`^${LINK_PREFIX}([0-9a-z]{5})[0-9a-f]{2}[a-z0-9]{2}$`).exec(dev) : null;
    if (!dev || !m || isAlive(parseInt(m[1]!, 36))) continue;
    await ip("link", "del", dev).catch(() => {});
    removed.push(dev);
  }
  return removed;
}

/** Kills (by pid) every process inside one of our namespaces: agents and their QSDs. */
async function killNamespaceProcesses(netns: string): Promise<void> {
  const pids = async () => (await ip("netns", "pids", netns).catch(() => ({ stdout: "" }))).stdout.split(/\s+/).filter(Boolean).map(Number);
  for (const pid of await pids()) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      /* already gone */
    }
  }
  const deadline = Date.now() + 5_000;
  while ((await pids()).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}

/** A /24 in 10.200.0.0–10.249.255.0 that nothing in the root namespace uses yet. */
async function freeSubnet(): Promise<string> {
  const { stdout: addrs } = await ip("-4", "-o", "addr", "show");
  const { stdout: routes } = await ip("-4", "route", "show", "table", "all");
  for (let i = 0; i < 50; i++) {
    const base = `10.${200 + crypto.randomInt(50)}.${crypto.randomInt(256)}`;
    if (!addrs.includes(`${base}.`) && !routes.includes(`${base}.`)) return base;
  }
  throw new Error("no free 10.2xx.x.0/24 subnet for the test hosts");
}

export class TwoHostNet {
  private constructor(
    readonly hosts: [HostNet, HostNet],
    /** Per namespace (null: root), a device where what is routed to it is dropped without a word. */
    private readonly sinks: Map<string | null, string>,
    private readonly links: Map<LinkName, Link>,
  ) {}

  /** Builds the namespaces and links for hosts `a` and `b` (removes leftovers of crashed runs first). */
  static async create(a = "h1", b = "h2"): Promise<TwoHostNet> {
    await removeLeftoverNets();
    const tag = ownerTag(process.pid);
    const base = await freeSubnet();
    // Interface names stay under 16 bytes: "tn" + owner + run + two characters.
    const suffix = crypto.randomBytes(1).toString("hex");
    const nsA = `${NS_PREFIX}${tag}-${suffix}-${a}`;
    const nsB = `${NS_PREFIX}${tag}-${suffix}-${b}`;
    const hostA: HostNet = { name: a, netns: nsA, address: `${base}.65` };
    const hostB: HostNet = { name: b, netns: nsB, address: `${base}.66` };
    const dev = (s: string) => `${LINK_PREFIX}${tag}${suffix}${s}`;
    const links = new Map<LinkName, Link>([
      [`console-${a}`, { ns: [null, nsA], dev: [dev("ra"), dev("a0")], addr: [`${base}.1`, `${base}.2`], routes: [{ ns: null, dest: hostA.address, via: `${base}.2` }] }],
      [`console-${b}`, { ns: [null, nsB], dev: [dev("rb"), dev("b0")], addr: [`${base}.5`, `${base}.6`], routes: [{ ns: null, dest: hostB.address, via: `${base}.6` }] }],
      [
        "hosts",
        {
          ns: [nsA, nsB],
          dev: [dev("ab"), dev("ba")],
          addr: [`${base}.9`, `${base}.10`],
          routes: [
            { ns: nsA, dest: hostB.address, via: `${base}.10` },
            { ns: nsB, dest: hostA.address, via: `${base}.9` },
          ],
        },
      ],
    ]);
    const sinks = new Map<string | null, string>([
      [null, dev("s0")],
      [nsA, "sink0"],
      [nsB, "sink0"],
    ]);
    const net = new TwoHostNet([hostA, hostB], sinks, links);
    try {
      for (const h of [hostA, hostB]) {
        await ip("netns", "add", h.netns);
        await ip("-n", h.netns, "link", "set", "lo", "up");
        await ip("-n", h.netns, "addr", "add", `${h.address}/32`, "dev", "lo");
      }
      // A sink is one end of a veth pair whose other end takes nothing: frames for a made-up
      // MAC address are dropped there (this kernel may have no dummy devices).
      for (const [ns, sink] of sinks) {
        const other = sink.replace(/0$/, "1");
        await ip(...nsArgs(ns), "link", "add", sink, "type", "veth", "peer", "name", other);
        for (const d of [sink, other]) await ip(...nsArgs(ns), "link", "set", d, "up");
      }
      for (const v of links.values()) {
        await ip("link", "add", v.dev[0], "type", "veth", "peer", "name", v.dev[1]);
        for (const i of [0, 1] as const) {
          const ns = v.ns[i];
          if (ns) await ip("link", "set", v.dev[i], "netns", ns);
          await ip(...nsArgs(ns), "addr", "add", `${v.addr[i]}/30`, "dev", v.dev[i]);
        }
      }
      for (const name of links.keys()) await net.heal(name);
    } catch (e) {
      await net.destroy();
      throw e;
    }
    return net;
  }

  host(name: string): HostNet {
    const h = this.hosts.find((x) => x.name === name);
    if (!h) throw new Error(`no test host ${name}`);
    return h;
  }

  /**
   * Cuts a link: both ends down, as if the cable were pulled. What went over it is routed into a
   * sink, which drops it without a word, as a real network does: senders wait for their timeouts
   * instead of being told at once (a blackhole route fails local senders at once), and nothing
   * leaves through the root namespace's default route.
   */
  async cut(link: LinkName): Promise<void> {
    const v = this.link(link);
    for (const i of [0, 1] as const) await ip(...nsArgs(v.ns[i]), "link", "set", v.dev[i], "down");
    for (const { ns, dest } of v.routes) {
      const sink = this.sinks.get(ns)!;
      await ip(...nsArgs(ns), "neigh", "replace", dest, "lladdr", "02:00:00:00:00:01", "dev", sink, "nud", "permanent");
      await ip(...nsArgs(ns), "route", "replace", `${dest}/32`, "dev", sink);
    }
  }

  /** Brings a link back with its routes (the kernel drops routes over a device that goes down). */
  async heal(link: LinkName): Promise<void> {
    const v = this.link(link);
    for (const i of [0, 1] as const) await ip(...nsArgs(v.ns[i]), "link", "set", v.dev[i], "up");
    for (const { ns, dest, via } of v.routes) await ip(...nsArgs(ns), "route", "replace", `${dest}/32`, "via", via);
  }

  /** Runs a command inside a host's namespace (e.g. a client on that host). */
  exec(host: string, file: string, args: string[], opts: { timeout?: number } = {}) {
    return run("ip", ["netns", "exec", this.host(host).netns, file, ...args], { timeout: opts.timeout ?? 60_000 });
  }

  /** Removes the namespaces and links; processes still inside are killed first. Idempotent. */
  async destroy(): Promise<void> {
    for (const h of this.hosts) await killNamespaceProcesses(h.netns);
    // Deleting one end of a veth deletes both: do it now rather than when the namespace goes.
    for (const v of this.links.values()) await ip(...nsArgs(v.ns[0]), "link", "del", v.dev[0]).catch(() => {});
    await ip("link", "del", this.sinks.get(null)!).catch(() => {});
    for (const h of this.hosts) await ip("netns", "del", h.netns).catch(() => {});
  }

  private link(name: LinkName): Link {
    const v = this.links.get(name);
    if (!v) throw new Error(`no link ${name}`);
    return v;
  }
}

function nsArgs(ns: string | null): string[] {
  return ns ? ["-n", ns] : [];
}
