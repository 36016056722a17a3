import { expect, signIn, stack, test } from "./support/fixtures";

test.describe("hosts", () => {
  test("sign-in is required and wrong passwords are refused", async ({ page }) => {
    await page.goto("/hosts");
    await expect(page).toHaveURL(/\/login\?next=%2Fhosts/);
    await page.getByLabel("User name").fill("admin");
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByText("Wrong user name or password.")).toBeVisible();
    // Guessing on is slowed down: a few tries per address every 10 s, then a clear wait.
    const button = page.getByRole("button", { name: "Sign in" });
    for (let i = 0; i < 3; i++) {
      await expect(button).toBeEnabled();
      await button.click();
    }
    // (Next.js adds an empty role="alert" route announcer: look for the form's message itself.)
    await expect(page.getByRole("alert").filter({ hasText: "Too many" })).toHaveText(/^Too many sign-in attempts from this address\. Try again in \d+ s\.$/);
    // signIn() in the next test waits the limit out, as a person would.
  });

  test("both hosts online; a stopped agent shows offline live, and online again when it returns", async ({ page }) => {
    await signIn(page);
    await page.getByRole("link", { name: "Hosts" }).click();
    await expect(page).toHaveURL(/\/hosts$/);
    const h1 = page.getByTestId("host-row-h1");
    const h2 = page.getByTestId("host-row-h2");
    await expect(h1.locator("[data-status]")).toHaveAttribute("data-status", "online");
    await expect(h2.locator("[data-status]")).toHaveAttribute("data-status", "online");
    await expect(h1).toContainText("QSD 7.");
    await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-state", "live");
    await page.screenshot({ path: "e2e/screenshots/hosts-light.png", fullPage: true });

    // No reload from here on: the page must change by itself.
    const stoppedAt = Date.now();
    await stack.stopAgent("h2");
    await expect(h2.locator("[data-status]")).toHaveAttribute("data-status", "offline", { timeout: 5000 });
    const offlineAfterMs = Date.now() - stoppedAt;
    await expect(h1.locator("[data-status]")).toHaveAttribute("data-status", "online");
    console.log(`h2 shown offline ${offlineAfterMs} ms after its agent stopped`);

    await page.getByRole("button", { name: "Switch to dark theme" }).click();
    await page.screenshot({ path: "e2e/screenshots/hosts-dark-offline.png", fullPage: true });

    await stack.startAgent("h2");
    await expect(h2.locator("[data-status]")).toHaveAttribute("data-status", "online", { timeout: 10_000 });
  });
});
