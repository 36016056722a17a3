import path from "node:path";
import { describe, expect, it } from "vitest";
import { HELP_TEXT } from "./help-text";
import { ConfigError, OPTION_NAMES, parseConfig, type AgentConfig } from "./parse-config";

const TOKEN = "0123456789abcdef0123";
const baseEnv = { TANDEM_AGENT_TOKEN: TOKEN };
const baseArgs = ["--name", "host-a", "--data-dir", "/tmp/agent-a"];

function run(argv: string[], env: Record<string, string | undefined> = baseEnv, files: Record<string, string> = {}): AgentConfig {
  const command = parseConfig(argv, env, (file) => {
    if (file in files) return files[file]!;
    throw Object.assign(new Error("no such file"), { code: "ENOENT" });
  });
  if (command.kind !== "run") throw new Error(`expected run, got ${command.kind}`);
  return command.config;
}

function failure(argv: string[], env: Record<string, string | undefined> = baseEnv, files: Record<string, string> = {}): string {
  try {
    run(argv, env, files);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    const message = (err as Error).message;
    expect(message).not.toContain("\n");
    return message;
  }
  throw new Error("expected a ConfigError");
}

describe("parseConfig", () => {
  it("applies defaults", () => {
    const c = run(baseArgs);
    expect(c).toMatchObject({
      name: "host-a",
      listen: { host: "127.0.0.1", port: 7101 },
      token: TOKEN,
      dataDir: "/tmp/agent-a",
      nbd: { host: "127.0.0.1", port: 10809 },
      pools: [{ name: "default", dir: "/tmp/agent-a/pools/default" }],
      overcommitRatio: 2,
    });
    expect(c.paths.qmpSocket).toBe("/tmp/agent-a/qmp.sock");
  });

  it("reads everything from the environment, flags win", () => {
    const env = {
      ...baseEnv,
      TANDEM_AGENT_NAME: "env-host",
      TANDEM_AGENT_LISTEN: "0.0.0.0:9000",
      TANDEM_AGENT_DATA_DIR: "/var/lib/x",
      TANDEM_AGENT_NBD_HOST: "10.0.0.1",
      TANDEM_AGENT_NBD_PORT: "10900",
    };
    expect(run([], env)).toMatchObject({
      name: "env-host",
      listen: { host: "0.0.0.0", port: 9000 },
      dataDir: "/var/lib/x",
      nbd: { host: "10.0.0.1", port: 10900 },
    });
    expect(run(["--name", "flag-host", "--listen", "127.0.0.1:0"], env)).toMatchObject({
      name: "flag-host",
      listen: { host: "127.0.0.1", port: 0 },
    });
  });

  it("reads the over-commit ratio from the flag or the environment", () => {
    expect(run([...baseArgs, "--overcommit-ratio", "1.5"]).overcommitRatio).toBe(1.5);
    expect(run(baseArgs, { ...baseEnv, TANDEM_AGENT_OVERCOMMIT_RATIO: "3" }).overcommitRatio).toBe(3);
  });

  it("treats empty environment variables as unset", () => {
    expect(run(baseArgs, { ...baseEnv, TANDEM_AGENT_LISTEN: "" }).listen.port).toBe(7101);
  });

  it("accepts bracketed IPv6 and port 0 for --listen", () => {
    expect(run([...baseArgs, "--listen", "[::1]:0"]).listen).toEqual({ host: "::1", port: 0 });
  });

  it("reads and trims the token file; the file wins over the environment", () => {
    const c = run([...baseArgs, "--token-file", "/etc/tok"], baseEnv, { "/etc/tok": "  file-token-0123456789\n" });
    expect(c.token).toBe("file-token-0123456789");
  });

  it("parses repeated pools and resolves relative dirs", () => {
    const c = run([...baseArgs, "--pool", "fast=/srv/fast", "--pool", "slow=rel/dir"]);
    expect(c.pools).toEqual([
      { name: "fast", dir: "/srv/fast" },
      { name: "slow", dir: path.resolve("rel/dir") },
    ]);
  });

  it.each([
    [["--data-dir", "/x"], "--name or TANDEM_AGENT_NAME is required"],
    [["--name", "Host_A", "--data-dir", "/x"], "--name: must be 1-63 characters"],
    [["--name", "a..b", "--data-dir", "/x"], "--name: must not contain '..'"],
    [["--name", "a"], "--data-dir or TANDEM_AGENT_DATA_DIR is required"],
    [[...baseArgs, "--listen", "7101"], '--listen: expected HOST:PORT (IPv6 as [ADDR]:PORT), got "7101"'],
    [[...baseArgs, "--listen", "127.0.0.1:70000"], "--listen: port must be at most 65535"],
    [[...baseArgs, "--listen", "127.0.0.1:abc"], "--listen: port must be a number"],
    [[...baseArgs, "--listen", "a,b:1"], "--listen: host may contain only"],
    [[...baseArgs, "--nbd-port", "0"], "--nbd-port: port must be at least 1"],
    [[...baseArgs, "--nbd-host", "evil,opt=1"], "--nbd-host: host may contain only"],
    [[...baseArgs, "--pool", "nodir"], "--pool nodir: expected NAME=DIR"],
    [[...baseArgs, "--pool", "=/x"], "--pool =/x: expected NAME=DIR"],
    [[...baseArgs, "--pool", "Bad=/x"], "--pool Bad=/x: pool name must be 1-63"],
    [[...baseArgs, "--pool", "a=/x", "--pool", "a=/y"], "--pool: pool a is given more than once"],
    [[...baseArgs, "--overcommit-ratio=-1"], "--overcommit-ratio: must be a number such as 1.5"],
    [[...baseArgs, "--overcommit-ratio", "0"], "--overcommit-ratio: must be at least 0.1"],
    [[...baseArgs, "--overcommit-ratio", "1e3"], "--overcommit-ratio: must be a number such as 1.5"],
    [[...baseArgs, "--overcommit-ratio", "500"], "--overcommit-ratio: must be at most 100"],
    [[...baseArgs, "--bogus"], "Unknown option '--bogus'"],
    [[...baseArgs, "extra"], "Unexpected argument 'extra'"],
    [["--data-dir", "/x", "--name"], "Option '--name <value>' argument missing"],
    [["--name", "a", "--data-dir", `/${"d".repeat(120)}`], "--data-dir is too long: unix socket paths"],
  ])("rejects %j with a readable message", (argv, message) => {
    expect(failure(argv)).toContain(message);
  });

  it("requires a token and never echoes it", () => {
    expect(failure(baseArgs, {})).toBe("a token (--token-file FILE or TANDEM_AGENT_TOKEN) is required");
    const short = failure(baseArgs, { TANDEM_AGENT_TOKEN: "s3cret-short" });
    expect(short).toBe("TANDEM_AGENT_TOKEN: must be at least 16 characters");
    expect(short).not.toContain("s3cret");
    const spaced = failure([...baseArgs, "--token-file", "/t"], {}, { "/t": "has a space inside it" });
    expect(spaced).toBe("token in --token-file /t: must be printable ASCII without spaces");
    expect(failure([...baseArgs, "--token-file", "/missing"])).toBe("--token-file: cannot read /missing: ENOENT");
  });

  it("answers --help and --version before validating anything", () => {
    expect(parseConfig(["--help"], {})).toEqual({ kind: "help" });
    expect(parseConfig(["-V"], {})).toEqual({ kind: "version" });
  });

  it("documents every option in the help text", () => {
    for (const name of OPTION_NAMES) expect(HELP_TEXT).toContain(`--${name}`);
  });
});
