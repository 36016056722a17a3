// Mirrors against the real stack: a source volume with an LU gets real data through qemu-io, a
// mirror is created in the UI (target created on the other host), and the page follows the copy
// live (the progress bar moves, the badge reaches "In sync") without any reload. Then the
// detail page (flow, chart, operations, modify, pause/resume), the dashboard, and deletion.
import { execFileSync } from "node:child_process";
import type { Page } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { adminSession, mutate } from "./support/session";

const { asAdmin, cookies: adminSessionCookies } = adminSession();

const SRC = "e2e-msrc";
const SRC2 = "e2e-msrc2";
const MIRROR = "e2e-m1";
/** Screenshots only for looking at during development (not kept in the repository). */
const REVIEW = "test-results/review";

/** Toasts would cover part of a screenshot. */
async function dismissToasts(page: Page) {
  for (const b of await page.getByTestId("toast").getByRole("button", { name: "Dismiss" }).all()) await b.click({ timeout: 1000 }).catch(() => {});
  await expect(page.getByTestId("toast")).toHaveCount(0);
  await page.mouse.move(0, 0);
}

test.describe("mirrors", () => {
  test.describe.configure({ mode: "serial" });

  test("create a mirror in the UI and watch it reach In sync live; detail, dashboard, delete", async ({ page, browser }) => {
    test.setTimeout(300_000);
    await asAdmin(page);

    // A 96 MiB source volume with an LU, filled with real data by a real NBD client, so the
    // copy (limited to 8 MiB/s) takes about 12 s and can be watched.
    await mutate(page.request, "volume.create", { host: "h1", name: SRC, size: "96M" });
    const lu = await mutate<{ uri: string | null }>(page.request, "lu.create", { volume: `h1/${SRC}`, alias: "e2e mirror source" });
    expect(lu.uri).toMatch(/^nbd:\/\//);
    const out = execFileSync("qemu-io", ["-f", "raw", "-c", "write -P 0x5a 0 96M", lu.uri!], { encoding: "utf8", timeout: 60_000 });
    expect(out).toContain("wrote 100663296/100663296 bytes");
    // A second, smaller volume for the refusal check later.
    await mutate(page.request, "volume.create", { host: "h1", name: SRC2, size: "16M" });

    // Dashboard first: the landing page after sign-in, and the nav lists it first.
    await expect(page.getByRole("navigation").getByRole("link").first()).toHaveText("Dashboard");
    await page.getByRole("navigation").getByRole("link", { name: "Mirrors" }).click();
    await expect(page).toHaveURL(/\/mirrors$/);
    await expect(page.getByRole("heading", { name: "Mirrors" })).toBeVisible();

    // A marker that survives only if the page is never reloaded.
    await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));

    await page.getByRole("button", { name: "New mirror" }).click();
    const dialog = page.getByRole("dialog", { name: "New mirror" });
    await expect(dialog).toBeVisible();
    const source = dialog.getByLabel("Source volume");
    await expect(source).toBeFocused();
    await expect(source.locator("option", { hasText: `h1/${SRC} ·` })).toHaveCount(1);
    await source.selectOption(`h1/${SRC}`);
    await expect(dialog.getByTestId("new-mirror-direction")).toContainText(`FROM h1/${SRC}`);
    await expect(dialog.getByTestId("new-mirror-direction")).toContainText(`TO h2/${SRC}`);
    await expect(dialog.getByLabel("Target volume name")).toHaveValue(SRC);
    await dialog.getByLabel("Mirror name").fill(MIRROR);
    await expect(dialog.getByRole("radio", { name: /Synchronous/ })).toBeChecked();
    await expect(dialog).toContainText("RPO 0");
    await expect(dialog).toContainText("RPO = the lag");
    await dialog.getByLabel("Speed limit (optional)").fill("8");
    await dialog.getByLabel("Speed unit").selectOption("M");
    await page.screenshot({ path: `${REVIEW}/new-mirror-dialog.png` });

    // Record every percent the row shows, from the DOM itself, while the copy runs.
    await page.evaluate(() => {
      const w = window as unknown as { __percents: string[] };
      w.__percents = [];
      const seen = () => {
        for (const el of document.querySelectorAll<HTMLElement>("[data-testid^='mirror-row-'] [data-testid='mirror-progress']")) {
          const p = el.dataset.percent ?? "";
          if (p && w.__percents[w.__percents.length - 1] !== p) w.__percents.push(p);
        }
      };
      new MutationObserver(seen).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-percent"] });
    });

    await dialog.getByRole("button", { name: "Create mirror" }).click();
    await expect(dialog).toBeHidden({ timeout: 60_000 });
    await expect(page.getByTestId("toast").filter({ hasText: `Mirror ${MIRROR} created` })).toBeVisible();

    const row = page.getByTestId(`mirror-row-${MIRROR}`);
    await expect(row).toBeVisible();
    await expect(row.getByTestId("mirror-direction")).toContainText(`h1/${SRC}`);
    await expect(row.getByTestId("mirror-direction")).toContainText(`h2/${SRC}`);
    await expect(row).toContainText("sync");

    // The copy runs: the bar shows a percent, then a different one, with no reload.
    await expect(row.locator("[data-mirror-state]")).toHaveAttribute("data-mirror-state", "syncing", { timeout: 30_000 });
    await expect(row.getByRole("progressbar")).toBeVisible();
    await expect
      .poll(async () => Number((await row.getByTestId("mirror-progress").getAttribute("data-percent")) || 0), { timeout: 30_000 })
      .toBeGreaterThan(5);
    await expect(row).toContainText("ETA");
    await expect(row.getByTestId("mirror-rate")).toContainText("/s");
    await dismissToasts(page);
    await page.screenshot({ path: "e2e/screenshots/mirrors.png", fullPage: true, animations: "disabled" });

    // The dashboard in a second window follows too (attention while syncing, then OK).
    const dashCtx = await browser.newContext({ baseURL: process.env.TANDEM_E2E_URL });
    await dashCtx.addCookies(adminSessionCookies());
    const dash = await dashCtx.newPage();
    await dash.goto("/dashboard");
    await expect(dash.getByTestId("dash-attention")).toContainText(MIRROR);
    await expect(dash.getByTestId(`attention-${MIRROR}`)).toContainText("Syncing");
    await expect(dash.getByTestId("dash-warning")).toHaveAttribute("data-count", /^[1-9]/);
    await dash.mouse.move(0, 0);
    await dash.screenshot({ path: "e2e/screenshots/dashboard.png", fullPage: true, animations: "disabled" });

    await expect(row.locator("[data-mirror-state]")).toHaveAttribute("data-mirror-state", "in_sync", { timeout: 120_000 });
    await expect(row.locator("[data-mirror-state]")).toHaveText("In sync");
    await expect(row.locator("[data-health]")).toHaveAttribute("data-health", "ok");
    const percents = await page.evaluate(() => (window as unknown as { __percents: string[] }).__percents);
    console.log(`percent values seen without reload: ${percents.join(", ")}`);
    expect(new Set(percents.filter((p) => Number(p) > 0 && Number(p) < 100)).size).toBeGreaterThanOrEqual(2);
    expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: `${REVIEW}/mirrors-in-sync.png`, fullPage: true, animations: "disabled" });

    // The dashboard counted it as healthy by itself.
    await expect(dash.getByTestId(`attention-${MIRROR}`)).toHaveCount(0, { timeout: 15_000 });
    await expect(dash.getByTestId(`dash-mirror-${MIRROR}`)).toContainText("In sync");
    expect(Number(await dash.getByTestId("dash-ok").getAttribute("data-count"))).toBeGreaterThanOrEqual(1);
    await dashCtx.close();

    // The dialog now explains why the source is not offered, and shows the server's refusal.
    await page.getByRole("button", { name: "New mirror" }).click();
    const again = page.getByRole("dialog", { name: "New mirror" });
    await expect(again.getByLabel("Source volume").locator("option", { hasText: `h1/${SRC} ·` })).toHaveCount(0);
    await again.getByTestId("source-why-not").locator("summary").click();
    await expect(again.getByTestId("source-why-not")).toContainText(`h1/${SRC}`);
    await expect(again.getByTestId("source-why-not")).toContainText(`already the source of mirror ${MIRROR}`);
    await expect(again.getByTestId("source-why-not")).toContainText(`h2/${SRC}`);
    await expect(again.getByTestId("source-why-not")).toContainText(`already the target of mirror ${MIRROR}`);
    await again.getByLabel("Source volume").selectOption(`h1/${SRC2}`);
    await again.getByLabel("Mirror name").fill(MIRROR);
    await again.getByRole("button", { name: "Create mirror" }).click();
    // The server's refusal is shown at the field it is about.
    await expect(again.getByTestId("field-error")).toContainText(`a mirror named ${MIRROR} already exists`);
    await expect(again.getByLabel("Mirror name")).toHaveAttribute("aria-invalid", "true");
    await page.screenshot({ path: `${REVIEW}/new-mirror-refused.png` });
    await page.keyboard.press("Escape");
    await expect(again).toBeHidden();

    // Detail page: direction in words, state and health, chart, operation with its steps.
    await row.getByRole("link", { name: MIRROR }).click();
    await expect(page).toHaveURL(new RegExp(`/mirrors/${MIRROR}$`));
    await expect(page.getByRole("heading", { name: MIRROR })).toBeVisible();
    await expect(page.getByTestId("mirror-flow-words")).toContainText(`Data flows FROM h1/${SRC} TO h2/${SRC}`);
    await expect(page.locator("[data-mirror-state]").first()).toHaveText("In sync");
    await expect(page.getByTestId("mirror-health")).toContainText("in sync");
    const create = page.getByTestId("operation-mirror.create");
    await expect(create).toHaveAttribute("data-status", "succeeded");
    await expect(create.getByTestId("step-initial-sync")).toHaveAttribute("data-status", "succeeded");
    await expect(create.getByTestId("step-initial-sync")).toContainText("96.0 MiB of 96.0 MiB");
    await expect(page.getByTestId("mirror-events")).toContainText("syncing → in_sync");
    await expect.poll(async () => Number(await page.getByTestId("mirror-chart").getAttribute("data-points")), { timeout: 15_000 }).toBeGreaterThan(1);

    // Modify in place: an RPO target.
    await page.getByRole("button", { name: "Modify" }).first().click();
    const modify = page.getByRole("dialog", { name: `Modify mirror ${MIRROR}` });
    await expect(modify.getByLabel("Speed limit")).toHaveValue("8");
    await modify.getByLabel("RPO target, seconds").fill("300");
    await modify.getByLabel("Description").fill("e2e: watched live");
    // Automatic failover: refused below 5 s at the field, then set to 30 s.
    await modify.getByLabel("Automatic failover after, seconds").fill("2");
    await modify.getByRole("button", { name: "Save changes" }).click();
    await expect(modify.getByLabel("Automatic failover after, seconds")).toHaveAttribute("aria-invalid", "true");
    await expect(modify).toContainText("whole seconds from 5 to 3600");
    await modify.getByLabel("Automatic failover after, seconds").fill("30");
    await modify.getByRole("button", { name: "Save changes" }).click();
    await expect(modify).toBeHidden({ timeout: 30_000 });
    await expect(page.getByTestId("mirror-auto-failover")).toContainText("after 30 s");
    await expect(page.getByTestId("mirror-auto-failover")).toContainText("when both the console and h2 have lost h1");
    await expect(page.getByTestId("mirror-settings")).toContainText("5 min");
    await expect(page.getByTestId("mirror-settings")).toContainText("e2e: watched live");

    // Pause and resume.
    await page.getByRole("button", { name: "Pause", exact: true }).click();
    const pause = page.getByRole("dialog", { name: `Pause mirror ${MIRROR}?` });
    await pause.getByRole("button", { name: "Pause mirror" }).click();
    await expect(pause).toBeHidden({ timeout: 60_000 });
    await expect(page.locator("[data-mirror-state]").first()).toHaveText("Paused", { timeout: 15_000 });
    await page.getByRole("button", { name: "Resume", exact: true }).click();
    await expect(page.locator("[data-mirror-state]").first()).toHaveText("In sync", { timeout: 60_000 });
    await dismissToasts(page);
    await page.screenshot({ path: "e2e/screenshots/mirror-detail.png", fullPage: true, animations: "disabled" });

    // Dashboard, light and dark.
    await page.getByRole("navigation").getByRole("link", { name: "Dashboard" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByTestId(`dash-mirror-${MIRROR}`)).toBeVisible();
    await expect(page.getByTestId("dash-hosts")).toContainText("2/2");
    // This tab loaded the dashboard before the mirror existed: it must not show that stale view.
    await expect(page.getByTestId("dash-ok")).toHaveAttribute("data-count", /^[1-9]/);
    await expect(page.getByTestId("dash-attention")).not.toContainText("No mirrors yet");
    await dismissToasts(page);
    await page.screenshot({ path: `${REVIEW}/dashboard-in-sync.png`, fullPage: true, animations: "disabled" });
    await page.getByRole("button", { name: "Switch to dark theme" }).click();
    await page.screenshot({ path: "e2e/screenshots/dashboard-dark.png", fullPage: true, animations: "disabled" });
    await page.goto(`/mirrors/${MIRROR}`);
    await expect(page.getByTestId("mirror-flow-words")).toBeVisible();
    await page.screenshot({ path: `${REVIEW}/mirror-detail-dark.png`, fullPage: true, animations: "disabled" });
    await page.getByRole("button", { name: "Switch to light theme" }).click();

    // Both sides hold the same data before the mirror goes.
    const verified = await mutate<{ equal: boolean; differingRanges: unknown[] }>(page.request, "mirror.verify", { name: MIRROR });
    expect(verified.differingRanges).toEqual([]);
    expect(verified.equal).toBe(true);

    // Delete with the typed name, deleting the target volume too.
    await page.getByRole("button", { name: "Delete", exact: true }).click();
    const del = page.getByRole("dialog", { name: `Delete mirror ${MIRROR}?` });
    const confirm = del.getByRole("button", { name: "Delete mirror" });
    await expect(confirm).toBeDisabled();
    await del.getByRole("radio", { name: /Delete the target volume/ }).check();
    await del.getByLabel(`Type ${MIRROR} to confirm`).fill(MIRROR);
    await confirm.click();
    await expect(page).toHaveURL(/\/mirrors$/, { timeout: 30_000 });
    await expect(page.getByTestId(`mirror-row-${MIRROR}`)).toHaveCount(0, { timeout: 60_000 });
  });
});
