import fs from "node:fs";
import { test as base, expect, type Page } from "@playwright/test";
import { stackLogTails, startAgent, stopPid, type StackState } from "./stack";

function readState(): StackState {
  return JSON.parse(fs.readFileSync(process.env.TANDEM_E2E_STATE!, "utf8")) as StackState;
}

/** Stops or restarts an agent of the shared stack, keeping the state file true for teardown. */
export const stack = {
  state: readState,
  async stopAgent(name: string) {
    const s = readState();
    const a = s.agents.find((x) => x.name === name)!;
    await stopPid(a.pid);
  },
  async startAgent(name: string) {
    const s = readState();
    const a = s.agents.find((x) => x.name === name)!;
    const started = await startAgent(a);
    started.proc.unref();
    a.pid = started.pid;
    fs.writeFileSync(process.env.TANDEM_E2E_STATE!, JSON.stringify(s));
  },
};

/**
 * Signs in through the form. The console allows a few sign-ins per address every 10 s; tests
 * that sign in in quick succession (several users, or hooks re-run after a failure) wait out
 * the limit as a person would, told so by the form.
 */
export async function signIn(page: Page, username = "admin", password = readState().adminPassword) {
  for (let attempt = 1; ; attempt++) {
    await page.goto("/login");
    await page.getByLabel("User name").fill(username);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    const limited = page.getByRole("alert").filter({ hasText: "Too many sign-in attempts" });
    await expect(page.getByTestId("current-user").or(limited)).toBeVisible({ timeout: 15_000 });
    if (!(await limited.isVisible()) || attempt >= 4) break;
    const wait = Number((await limited.textContent())?.match(/in (\d+) s/)?.[1] ?? 10);
    await page.waitForTimeout(wait * 1000 + 200);
  }
  await expect(page).toHaveURL(/\/dashboard$/);
}

export const test = base.extend<{ stackLogsOnFailure: void }>({
  baseURL: async ({}, use) => use(process.env.TANDEM_E2E_URL),
  // A failing test reports what the console and the agents said, so a failure seen only in CI
  // can be understood from its output.
  stackLogsOnFailure: [
    async ({}, use, testInfo) => {
      await use();
      if (testInfo.status !== testInfo.expectedStatus) {
        const tails = stackLogTails(readState(), 80);
        console.log(`\n===== stack logs after "${testInfo.title}" =====\n${tails}\n===== end of stack logs =====`);
        await testInfo.attach("stack-logs", { body: tails, contentType: "text/plain" });
      }
    },
    { auto: true },
  ],
});
export { expect };
