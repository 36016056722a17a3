import { describe, expect, it } from "vitest";
import { hasRole, username } from "./roles";

describe("hasRole", () => {
  it.each([
    ["viewer", "viewer", true], ["viewer", "operator", false], ["viewer", "admin", false],
    ["operator", "viewer", true], ["operator", "operator", true], ["operator", "admin", false],
    ["admin", "viewer", true], ["admin", "operator", true], ["admin", "admin", true],
    ["root", "viewer", false], [null, "viewer", false], [undefined, "viewer", false],
  ] as const)("%s needing %s → %s", (actual, required, expected) => {
    expect(hasRole(actual, required)).toBe(expected);
  });
});

describe("username", () => {
  it("accepts ordinary names and refuses odd ones", () => {
    expect(username.safeParse("admin").success).toBe(true);
    expect(username.safeParse("ab").success).toBe(false);
    expect(username.safeParse("Admin").success).toBe(false);
    expect(username.safeParse("../x").success).toBe(false);
  });
});
