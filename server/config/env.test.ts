import { describe, expect, it } from "vitest";
import { ConfigError, loadEnv } from "./env";

describe("loadEnv", () => {
  it("has working defaults", () => {
    const env = loadEnv({});
    expect(env.PORT).toBe(3000);
    expect(env.databaseUrl).toMatch(/^file:.*\.data\/tandem\.db$/);
  });
  it("names every bad setting", () => {
    expect(() => loadEnv({ PORT: "http", DATABASE_URL: "mysql://x" })).toThrow(ConfigError);
    try {
      loadEnv({ PORT: "http", DATABASE_URL: "mysql://x" });
    } catch (e) {
      expect(String(e)).toMatch(/PORT/);
      expect(String(e)).toMatch(/DATABASE_URL: must start with file:/);
    }
  });
  it("treats empty values as unset", () => {
    expect(loadEnv({ TANDEM_ADMIN_PASSWORD: "" }).TANDEM_ADMIN_PASSWORD).toBeUndefined();
  });
});
