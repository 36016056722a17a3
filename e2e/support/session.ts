// What the browser specs share: one admin sign-in per spec file (sign-in is rate-limited per
// address), tRPC calls as that admin through a page's request context, and toast dismissal
// before screenshots.
import type { APIRequestContext, Cookie, Page } from "@playwright/test";
import { expect, signIn, test } from "./fixtures";

type TrpcAnswer<T> = { result: { data: { json: T } } };

/** A tRPC mutation; a non-200 answer fails the test with the console's message. */
export async function mutate<T = unknown>(req: APIRequestContext, path: string, input: unknown, timeoutMs = 120_000): Promise<T> {
  const res = await req.post(`/api/trpc/${path}`, { data: { json: input }, timeout: timeoutMs });
  const text = await res.text();
  expect(res.status(), text).toBe(200);
  return (JSON.parse(text) as TrpcAnswer<T>).result.data.json;
}

/** A tRPC query. */
export async function query<T = unknown>(req: APIRequestContext, path: string, input?: unknown, timeoutMs = 60_000): Promise<T> {
  const qs = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
  const res = await req.get(`/api/trpc/${path}${qs}`, { timeout: timeoutMs });
  const text = await res.text();
  expect(res.status(), text).toBe(200);
  return (JSON.parse(text) as TrpcAnswer<T>).result.data.json;
}

/**
 * Signs the admin in once for the spec file (in its beforeAll) and returns `asAdmin(page)`,
 * which puts that session into a test's page and opens `landing`.
 */
export function adminSession(landing = "/dashboard") {
  let cookies: Cookie[] = [];
  test.beforeAll(async ({ browser }) => {
    const ctx = await browser.newContext({ baseURL: process.env.TANDEM_E2E_URL });
    await signIn(await ctx.newPage());
    cookies = await ctx.cookies();
    await ctx.close();
  });
  return {
    cookies: () => cookies,
    async asAdmin(page: Page) {
      await page.context().addCookies(cookies);
      await page.goto(landing);
      await expect(page.getByTestId("current-user")).toContainText("admin");
    },
  };
}

/** Toasts would cover part of a screenshot. */
export async function dismissToasts(page: Page) {
  for (const b of await page.getByTestId("toast").getByRole("button", { name: "Dismiss" }).all()) await b.click({ timeout: 1000 }).catch(() => {});
  await page.mouse.move(0, 0);
}

/** Records every step status the page shows, from the DOM, to prove they change without a reload. */
export async function watchSteps(page: Page) {
  await page.evaluate(() => {
    const w = window as unknown as { __steps: string[] };
    w.__steps = [];
    const seen = () => {
      for (const el of document.querySelectorAll<HTMLElement>("[data-testid^='exec-step-']")) {
        const v = `${el.dataset.testid!.slice("exec-step-".length)}:${el.dataset.status}`;
        if (!w.__steps.includes(v)) w.__steps.push(v);
      }
    };
    new MutationObserver(seen).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-status"] });
  });
}
export const seenSteps = (page: Page) => page.evaluate(() => (window as unknown as { __steps: string[] }).__steps);
