// Storage pages against the real stack: a volume is created and exported in the UI, a real NBD
// client (qemu-io) writes through the LU's URI, and a snapshot revert done in the UI brings the
// first pattern back.
import { execFileSync } from "node:child_process";
import { expect, signIn, stack, test } from "./support/fixtures";
import { adminSession } from "./support/session";

// Sign-in is rate-limited, so the admin signs in once and every test reuses that session.
const { asAdmin } = adminSession("/hosts");

const VOL = "e2e-vol";
const MiB = 1024 * 1024;
/** Screenshots only for looking at during development (not kept in the repository). */
const REVIEW = "test-results/review";

function qemuIo(uri: string, cmd: string): string {
  return execFileSync("qemu-io", ["-f", "raw", "-c", cmd, uri], { encoding: "utf8", timeout: 30_000 });
}

function expectPattern(uri: string, pattern: string) {
  const out = qemuIo(uri, `read -P ${pattern} 0 1M`);
  expect(out, out).not.toMatch(/Pattern verification failed/);
  expect(out).toContain(`read ${MiB}/${MiB} bytes`);
}

test.describe("storage", () => {
  test.describe.configure({ mode: "serial" });

  test("create a volume, export it, write through its URI, snapshot, overwrite, revert", async ({ page, context }) => {
    test.setTimeout(180_000);
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await asAdmin(page);

    await page.getByRole("link", { name: "Volumes" }).click();
    await expect(page).toHaveURL(/\/volumes$/);
    await expect(page.getByRole("heading", { name: "Volumes" })).toBeVisible();

    // New volume: a bad name is refused by the server and the message shows at the field.
    await page.getByRole("button", { name: "New volume" }).click();
    const dialog = page.getByRole("dialog", { name: "New volume" });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByLabel("Host")).toBeFocused();
    await dialog.getByLabel("Host").selectOption("h1");
    await dialog.getByLabel("Name").fill("Bad Name");
    await dialog.getByLabel("Size").fill("64");
    await dialog.getByLabel("Unit").selectOption("M");
    await dialog.getByRole("button", { name: "Create volume" }).click();
    await expect(dialog.getByTestId("field-error")).toContainText("a-z, 0-9");
    await page.screenshot({ path: `${REVIEW}/new-volume-error.png` });
    await dialog.getByLabel("Name").fill(VOL);
    await dialog.getByRole("button", { name: "Create volume" }).click();
    await expect(page).toHaveURL(new RegExp(`/volumes/h1/${VOL}$`), { timeout: 60_000 });
    await expect(page.getByRole("heading", { name: `h1/${VOL}` })).toBeVisible();
    await expect(page.getByTestId("volume-facts")).toContainText("64.0 MiB");

    // Export as LU.
    await page.getByRole("button", { name: "Export as LU" }).click();
    const exportDialog = page.getByRole("dialog", { name: `Export h1/${VOL} as an LU` });
    await exportDialog.getByLabel("Alias (optional)").fill("e2e data");
    await exportDialog.getByRole("button", { name: "Export" }).click();
    await expect(exportDialog).toBeHidden({ timeout: 60_000 });
    const uriEl = page.getByTestId("lu-uri");
    await expect(uriEl).toBeVisible();
    await expect(page.getByTestId("lu-state")).toContainText("Active · 0");
    const uri = (await uriEl.textContent())!.trim();
    expect(uri).toMatch(/^nbd:\/\//);
    await page.getByRole("button", { name: /^Copy URI/ }).click();
    await expect(page.getByRole("button", { name: /^Copy URI/ })).toHaveAttribute("data-copied", "true");
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(uri);

    // A real client writes pattern 0x61 through the LU.
    qemuIo(uri, "write -P 0x61 0 1M");
    expectPattern(uri, "0x61");

    // Snapshot in the UI.
    await page.getByRole("button", { name: "Create snapshot" }).click();
    const snapDialog = page.getByRole("dialog", { name: `Snapshot h1/${VOL}` });
    await snapDialog.getByLabel("Snapshot name").fill("before");
    await snapDialog.getByRole("button", { name: "Create snapshot" }).click();
    await expect(snapDialog).toBeHidden({ timeout: 60_000 });
    await expect(page.getByTestId("snapshot-row-before")).toBeVisible();

    // Overwrite with another pattern.
    qemuIo(uri, "write -P 0x62 0 1M");
    expectPattern(uri, "0x62");

    // Revert in the UI: the dialog explains the loss; then the old data is back.
    await page.getByTestId("snapshot-row-before").getByRole("button", { name: "Revert" }).click();
    const revertDialog = page.getByRole("dialog", { name: `Revert h1/${VOL} to before?` });
    await expect(revertDialog).toContainText("Everything written to");
    await page.screenshot({ path: `${REVIEW}/revert-dialog.png` });
    await revertDialog.getByRole("button", { name: "Revert volume" }).click();
    await expect(revertDialog).toBeHidden({ timeout: 60_000 });
    await expect(page.getByTestId("toast").filter({ hasText: "reverted to before" })).toBeVisible();
    const uriAfter = (await page.getByTestId("lu-uri").textContent())!.trim();
    expectPattern(uriAfter, "0x61");
    await page.mouse.move(0, 0);
    await page.screenshot({ path: "e2e/screenshots/volume-detail.png", fullPage: true, animations: "disabled" });

    // Resize: shrinking is refused before it is sent; growing works.
    await page.getByRole("button", { name: "Resize" }).click();
    const resize = page.getByRole("dialog", { name: `Resize h1/${VOL}` });
    await resize.getByLabel("New size").fill("32");
    await resize.getByLabel("Unit").selectOption("M");
    await expect(resize.getByTestId("field-error")).toContainText("Volumes only grow");
    await expect(resize.getByRole("button", { name: "Resize" })).toBeDisabled();
    await resize.getByLabel("New size").fill("128");
    await resize.getByRole("button", { name: "Resize" }).click();
    await expect(resize).toBeHidden({ timeout: 60_000 });
    await expect(page.getByTestId("volume-facts")).toContainText("128 MiB");

    // Clone the snapshot into a new volume.
    await page.getByTestId("snapshot-row-before").getByRole("button", { name: "Clone" }).click();
    const clone = page.getByRole("dialog", { name: "Clone snapshot before" });
    await clone.getByLabel("New volume name").fill(`${VOL}-clone`);
    await clone.getByRole("button", { name: "Clone" }).click();
    await expect(clone).toBeHidden({ timeout: 60_000 });
    await page.getByRole("button", { name: "Switch to dark theme" }).click();
    await page.screenshot({ path: `${REVIEW}/volume-detail-dark.png`, fullPage: true, animations: "disabled" });
    await page.getByRole("button", { name: "Switch to light theme" }).click();

    // Volumes list: the row shows the LU; deleting it needs the typed name and the server's
    // refusal (in use by the LU) is shown.
    await page.getByRole("link", { name: "Volumes", exact: true }).first().click();
    const row = page.getByTestId(`volume-row-h1-${VOL}`);
    await expect(row).toContainText("Active · 0");
    await expect(row).toContainText("128 MiB");
    await expect(page.getByTestId(`volume-row-h1-${VOL}-clone`)).toContainText("not exported");
    await row.getByRole("button", { name: "Delete" }).click();
    const del = page.getByRole("dialog", { name: `Delete volume h1/${VOL}?` });
    const confirm = del.getByRole("button", { name: "Delete volume" });
    await expect(confirm).toBeDisabled();
    await del.getByLabel(`Type ${VOL} to confirm`).fill("e2e-vo");
    await expect(confirm).toBeDisabled();
    await del.getByLabel(`Type ${VOL} to confirm`).fill(VOL);
    await expect(confirm).toBeEnabled();
    await confirm.click();
    await expect(del.getByRole("alert")).toContainText("in use by LU");
    await page.screenshot({ path: `${REVIEW}/delete-refused.png` });
    await page.keyboard.press("Escape");
    await expect(del).toBeHidden();
    await page.screenshot({ path: "e2e/screenshots/volumes.png", fullPage: true, animations: "disabled" });

    // A volume without an LU is deleted once its name is typed.
    await page.getByTestId(`volume-row-h1-${VOL}-clone`).getByRole("button", { name: "Delete" }).click();
    const delClone = page.getByRole("dialog", { name: `Delete volume h1/${VOL}-clone?` });
    await delClone.getByLabel(`Type ${VOL}-clone to confirm`).fill(`${VOL}-clone`);
    await delClone.getByRole("button", { name: "Delete volume" }).click();
    await expect(delClone).toBeHidden({ timeout: 60_000 });
    await expect(page.getByTestId(`volume-row-h1-${VOL}-clone`)).toHaveCount(0);
  });

  test("a volume made behind Tandem's back shows as drift, live", async ({ page }) => {
    test.setTimeout(90_000);
    const h2 = stack.state().agents.find((a) => a.name === "h2")!;
    const agent = (method: string, path: string, body?: unknown) =>
      fetch(h2.url.replace(/\/+$/, "") + path, {
        method,
        headers: { authorization: `Bearer ${h2.token}`, ...(body ? { "content-type": "application/json" } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
    await asAdmin(page);
    await page.getByRole("link", { name: "Volumes" }).click();
    await expect(page.getByRole("heading", { name: "Volumes" })).toBeVisible();
    await expect(page.getByTestId("drift-banner")).toHaveCount(0);

    const made = await agent("POST", "/v1/volumes", { name: "stray", size: "16M" });
    expect(made.status, await made.text()).toBeLessThan(300);
    const banner = page.getByTestId("drift-banner");
    await expect(banner).toContainText("h2/stray", { timeout: 15_000 });
    await expect(banner).toContainText("not in Tandem's database");
    await page.screenshot({ path: `${REVIEW}/drift.png`, fullPage: true, animations: "disabled" });

    const gone = await agent("DELETE", "/v1/volumes/stray");
    expect(gone.status).toBeLessThan(300);
    await expect(banner).toHaveCount(0, { timeout: 15_000 });
  });

  test("LU access states change live after Standby and Import", async ({ page }) => {
    test.setTimeout(120_000);
    await asAdmin(page);
    await page.getByRole("link", { name: "LUs" }).click();
    const node = page.locator('[data-testid="lu-node-h1"]').filter({ hasText: `h1/${VOL}` });
    await expect(node.locator("[data-access-state]")).toHaveAttribute("data-access-state", "active");

    await node.getByRole("button", { name: "Standby" }).click();
    const dlg = page.getByRole("dialog", { name: "Put LU on h1 in Standby?" });
    await dlg.getByRole("button", { name: "Put in Standby" }).click();
    await expect(dlg).toBeHidden({ timeout: 60_000 });
    await expect(node.locator("[data-access-state]")).toHaveAttribute("data-access-state", "standby");
    await expect(node).toContainText("Standby · 2");
    await expect(node).toContainText("no client export");

    await node.getByRole("button", { name: "Import" }).click();
    await expect(node.locator("[data-access-state]")).toHaveAttribute("data-access-state", "active", { timeout: 60_000 });
    await expect(node).toContainText("Active · 0");
    await expect(node.getByTestId("lu-uri")).toBeVisible();

    const lu = page.locator('tbody[data-testid^="lu-row-"]').filter({ has: node });
    await lu.getByRole("button", { name: /Show recent transitions/ }).click();
    await expect(lu.getByText("Recent transitions").or(lu.getByText("No transitions recorded yet."))).toBeVisible();
    await page.mouse.move(0, 0);
    await page.screenshot({ path: "e2e/screenshots/lus.png", fullPage: true, animations: "disabled" });
    await page.getByRole("button", { name: "Switch to dark theme" }).click();
    await page.screenshot({ path: "e2e/screenshots/lus-dark.png", fullPage: true, animations: "disabled" });
    await page.getByRole("button", { name: "Switch to light theme" }).click();
  });

  test("host pair shows both agents' ALUA view and an admin can save it", async ({ page }) => {
    test.setTimeout(120_000);
    await asAdmin(page);
    await page.getByRole("link", { name: "Host pair" }).click();
    const pair = page.getByTestId("pair-pair1");
    await expect(pair).toBeVisible();
    await expect(pair.getByTestId("pair-host-h1")).toBeVisible();
    await expect(pair.getByTestId("pair-host-h2")).toBeVisible();

    const toggle = pair.getByRole("switch", { name: "ALUA enabled for pair1" });
    if ((await toggle.getAttribute("aria-checked")) !== "true") await toggle.click();
    await expect(toggle).toHaveAttribute("aria-checked", "true");

    // Swap the node ids (choosing one for h1 gives h2 the other), save, and read back what the
    // agents themselves report; then swap back.
    const h1Id = pair.getByLabel("Node id of h1");
    const h2Id = pair.getByLabel("Node id of h2");
    const before = (await h1Id.inputValue()) || "0";
    const other = before === "0" ? "1" : "0";
    for (const [h1, h2] of [
      [other, before],
      [before, other],
    ]) {
      await h1Id.selectOption(h1);
      await expect(h2Id).toHaveValue(h2);
      await pair.getByRole("button", { name: "Save" }).click();
      await expect(page.getByTestId("toast").filter({ hasText: "ALUA settings of pair1 saved" }).last()).toBeVisible({ timeout: 60_000 });
      await expect(pair.getByRole("button", { name: "Save" })).toBeDisabled();
      await expect(pair.getByTestId("pair-host-h1")).toContainText(`node ${h1}`);
      await expect(pair.getByTestId("pair-host-h2")).toContainText(`node ${h2}`);
      await expect(pair.getByTestId("pair-host-h1")).toContainText("peer h2");
      await expect(pair.getByTestId("alua-disagreement")).toBeHidden();
    }
    await expect(pair.getByText("ALUA enabled", { exact: true }).first()).toBeVisible();
    await page.mouse.move(0, 0);
    await page.screenshot({ path: "e2e/screenshots/pair.png", fullPage: true, animations: "disabled" });
  });
});

test.describe("storage roles", () => {
  /** Calls a tRPC mutation as whoever `req` is signed in as. */
  async function trpcMutation(req: import("@playwright/test").APIRequestContext, path: string, input: unknown) {
    const res = await req.post(`/api/trpc/${path}`, { data: { json: input } });
    expect(res.status(), await res.text()).toBe(200);
  }

  test("a viewer sees storage read-only; a demoted admin's save shows a clear 403", async ({ browser, page }) => {
    test.setTimeout(90_000);
    await asAdmin(page);
    await trpcMutation(page.request, "user.create", { username: "e2e-viewer", password: "viewer-pass-1", role: "viewer" });
    await trpcMutation(page.request, "user.create", { username: "e2e-admin2", password: "admin2-pass-1", role: "admin" });

    const viewerCtx = await browser.newContext({ baseURL: process.env.TANDEM_E2E_URL });
    const viewer = await viewerCtx.newPage();
    await signIn(viewer, "e2e-viewer", "viewer-pass-1");
    await viewer.goto("/pair");
    await expect(viewer.getByTestId("pair-readonly")).toContainText("read-only");
    const pair = viewer.getByTestId("pair-pair1");
    await expect(pair.getByRole("switch", { name: "ALUA enabled for pair1" })).toBeDisabled();
    await expect(pair.getByLabel("Node id of h1")).toBeDisabled();
    await expect(pair.getByRole("button", { name: "Save" })).toHaveCount(0);
    await viewer.goto("/volumes");
    await expect(viewer.getByRole("button", { name: "New volume" })).toBeDisabled();
    await viewerCtx.close();

    const adminCtx = await browser.newContext({ baseURL: process.env.TANDEM_E2E_URL });
    const admin2 = await adminCtx.newPage();
    await signIn(admin2, "e2e-admin2", "admin2-pass-1");
    await admin2.goto("/pair");
    const pair2 = admin2.getByTestId("pair-pair1");
    await expect(pair2.getByRole("button", { name: "Save" })).toBeVisible();
    await trpcMutation(page.request, "user.setRole", { username: "e2e-admin2", role: "operator" });
    const h1 = pair2.getByLabel("Node id of h1");
    await h1.selectOption((await h1.inputValue()) === "0" ? "1" : "0");
    await pair2.getByRole("button", { name: "Save" }).click();
    await expect(pair2.getByRole("alert")).toContainText("Only an admin can change ALUA settings");
    await expect(pair2.getByRole("alert")).toContainText("needs the admin role");
    // The refusal makes the page re-read the role: it shows read-only now.
    await expect(admin2.getByTestId("current-user")).toContainText("operator");
    await expect(admin2.getByTestId("pair-readonly")).toBeVisible();
    await admin2.screenshot({ path: `${REVIEW}/pair-403.png`, fullPage: true, animations: "disabled" });
    await adminCtx.close();
  });
});
