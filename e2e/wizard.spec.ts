// The move wizard against the real stack: a volume with an LU holds real data (qemu-io), a
// mirror h1 → h2 is created through the API, and a planned reversal is walked through in the
// UI: choose → preflight → plan → confirm → execute (steps seen completing live, then a reload
// that must bring the same live view back) → summary with verification and audit trail. The
// mirror ends running h2 → h1, the LU Active on h2 and Standby on h1, the data intact.
import { execFileSync } from "node:child_process";
import { expect, signIn, test } from "./support/fixtures";
import { adminSession, dismissToasts, mutate, query, seenSteps, watchSteps } from "./support/session";

const { asAdmin } = adminSession();

const SRC = "e2e-wsrc";
const MIRROR = "e2e-w1";
/** Screenshots only for looking at during development (not kept in the repository). */
const REVIEW = "test-results/review";

type MirrorGet = { mirror: { state: string; lagBytes: number; epoch: number; source: { ref: string }; target: { ref: string } } };
type LuList = { guid: string; nodes: { host: string; stateCode: number; uri: string | null }[] }[];

test.describe("move wizard", () => {
  test.describe.configure({ mode: "serial" });

  test("planned reversal: choose, preflight, plan, confirm, execute live across a reload, summary", async ({ page }) => {
    test.setTimeout(300_000);
    await asAdmin(page);

    // A source volume with an LU and real data, mirrored h1 → h2 (set up through the API).
    await mutate(page.request, "volume.create", { host: "h1", name: SRC, size: "512M" });
    const lu = await mutate<{ uri: string | null; guid: string }>(page.request, "lu.create", { volume: `h1/${SRC}`, alias: "e2e wizard" });
    const out = execFileSync("qemu-io", ["-f", "raw", "-c", "write -P 0x3c 0 192M", lu.uri!], { encoding: "utf8", timeout: 60_000 });
    expect(out).toContain("wrote 201326592/201326592 bytes");
    await mutate(page.request, "mirror.create", { name: MIRROR, source: `h1/${SRC}`, target: `h2/${SRC}`, createTarget: true, mode: "sync" });
    // In sync, and the monitor has recorded the lag as 0 (it writes it at most once a second).
    await expect
      .poll(async () => {
        const m = (await query<MirrorGet>(page.request, "mirror.get", { name: MIRROR })).mirror;
        return `${m.state}/${m.lagBytes}`;
      }, { timeout: 120_000 })
      .toBe("in_sync/0");
    const before = (await query<MirrorGet>(page.request, "mirror.get", { name: MIRROR })).mirror;
    expect(before.source.ref).toBe(`h1/${SRC}`);

    // From the mirrors list's row action into the wizard.
    await page.getByRole("navigation").getByRole("link", { name: "Mirrors" }).click();
    await page.getByTestId(`mirror-row-${MIRROR}`).getByRole("link", { name: "Reverse / fail over…" }).click();
    await expect(page).toHaveURL(new RegExp(`/mirrors/${MIRROR}/move$`));
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Reverse or fail over ${MIRROR}`);
    await expect(page.getByTestId("wizard-current-direction")).toContainText(`h1/${SRC}`);

    // 1. Choose: every kind is offered and says whether its preflight would pass.
    const choose = page.getByTestId("wizard-choose");
    await expect(choose).toBeVisible();
    const reversal = page.getByRole("radio", { name: /Planned reversal/ });
    await expect(reversal).toBeChecked();
    await expect(page.getByTestId("kind-reverse").getByTestId("kind-ready")).toBeVisible();
    await expect(page.getByTestId("kind-failback").getByTestId("kind-not-ready")).toContainText("failed over");
    await page.screenshot({ path: `${REVIEW}/wizard-choose.png`, fullPage: true, animations: "disabled" });
    // Keyboard: arrows move between the kinds.
    await reversal.focus();
    await page.keyboard.press("ArrowRight");
    await expect(page.getByRole("radio", { name: /^Failover/ })).toBeChecked();

    // A failover can be planned (forced: the source is up); walk it to the confirm step and leave
    // without starting it — nothing changes.
    await page.getByTestId("wizard-next").click();
    await expect(page.getByTestId("wizard-preflight")).toBeVisible();
    await expect(page.getByTestId("preflight-forced")).toContainText("forced");
    await page.screenshot({ path: `${REVIEW}/wizard-preflight-failover.png`, fullPage: true, animations: "disabled" });
    await page.getByTestId("wizard-next").click();
    await expect(page.getByTestId("plan-direction-words")).toContainText(`h2/${SRC} will serve clients`);
    await page.getByTestId("wizard-next").click();
    const submit = page.getByTestId("wizard-submit");
    await expect(submit).toHaveText("Fail over");
    await expect(submit).toBeDisabled();
    await page.getByLabel(`Type ${MIRROR} to confirm`).fill(MIRROR);
    await expect(page.getByTestId("wizard-submit-blocked")).toHaveText("A reason is required");
    await page.getByLabel(/^Reason/).fill("e2e: rehearsal");
    await expect(page.getByTestId("wizard-submit-blocked")).toHaveText("Confirm the forced failover");
    await page.getByLabel("Force the failover while the source is online").check();
    await expect(submit).toBeEnabled();
    await page.screenshot({ path: `${REVIEW}/wizard-failover-confirm.png`, fullPage: true, animations: "disabled" });
    expect((await query<MirrorGet>(page.request, "mirror.get", { name: MIRROR })).mirror.state).toBe("in_sync");

    // Back to the start (the stepper) and the reversal, by keyboard.
    await page.getByTestId("wizard-stage-choose").click();
    await page.getByRole("radio", { name: /^Failover/ }).focus();
    await page.keyboard.press("ArrowLeft");
    await expect(reversal).toBeChecked();
    await page.getByTestId("wizard-next").focus();
    await page.keyboard.press("Enter");

    // 2. Preflight: every check passes, each with its reason.
    await expect(page.getByTestId("wizard-preflight")).toBeVisible();
    await expect(page.getByTestId("wizard-heading")).toBeFocused();
    const checks = page.getByTestId("preflight-check");
    await expect(checks).toHaveCount(5);
    await expect(page.getByTestId("preflight-summary")).toContainText("All 5 checks pass");
    for (const c of await checks.all()) await expect(c).toHaveAttribute("data-ok", "true");
    await expect(page.getByTestId("preflight-checks")).toContainText("in sync");
    await expect(page.getByTestId("preflight-checks")).toContainText(`console and both hosts at epoch ${before.epoch}`);
    await page.getByTestId("wizard-next").click();

    // 3. Plan: direction in words and arrows, steps, bytes, outage, discards, verify option.
    await expect(page.getByTestId("wizard-plan")).toBeVisible();
    await expect(page.getByTestId("plan-direction-words")).toHaveText(`Data will flow FROM h2/${SRC} TO h1/${SRC}.`);
    await expect(page.getByTestId("plan-steps").locator("li")).toHaveCount(7);
    await expect(page.getByTestId("plan-bytes")).toContainText("Nothing");
    await expect(page.getByTestId("plan-outage")).toContainText("under 1 second");
    await expect(page.getByTestId("plan-discards")).toContainText("nothing");
    await expect(page.getByLabel("Verify at the end")).toBeChecked();
    await dismissToasts(page);
    await page.screenshot({ path: "e2e/screenshots/wizard-plan.png", fullPage: true, animations: "disabled" });
    await page.getByRole("button", { name: "Switch to dark theme" }).click();
    await page.screenshot({ path: `${REVIEW}/wizard-plan-dark.png`, fullPage: true, animations: "disabled" });
    await page.getByRole("button", { name: "Switch to light theme" }).click();
    await page.getByTestId("wizard-next").click();

    // 4. Confirm: the start button waits for the exact name.
    await expect(page.getByTestId("wizard-confirm")).toBeVisible();
    await expect(submit).toHaveText("Reverse mirror");
    await expect(submit).toBeDisabled();
    await expect(page.getByLabel(`Type ${MIRROR} to confirm`)).toHaveValue("");
    await page.getByLabel(/^Reason/).fill("e2e: planned maintenance of h1");
    await page.getByLabel(`Type ${MIRROR} to confirm`).fill(MIRROR.slice(0, -1));
    await expect(submit).toBeDisabled();
    await page.getByLabel(`Type ${MIRROR} to confirm`).fill(MIRROR);
    await expect(submit).toBeEnabled();

    // Record every step status the page shows, from the DOM, to prove they change without reload.
    await watchSteps(page);
    const startedAt = Date.now();
    await submit.click();

    // 5. Execute: the address names the operation at once.
    await expect(page).toHaveURL(/\/move\?op=[\w-]+$/);
    const opId = new URL(page.url()).searchParams.get("op")!;
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Planned reversal of ${MIRROR}`);
    // Steps complete live: wait until the switch is committed and the verification runs.
    await expect(page.locator("[data-testid='exec-step-commit'][data-status='succeeded'], [data-testid='wizard-summary']")).toBeVisible({ timeout: 60_000 });
    if (await page.getByTestId("wizard-execute").isVisible()) {
      await page.mouse.move(0, 0);
      await page.screenshot({ path: "e2e/screenshots/wizard-execute.png", fullPage: true, animations: "disabled" });
    }
    const live = await seenSteps(page);
    console.log(`step states seen live (${Date.now() - startedAt} ms after submit): ${live.join(", ")}`);
    expect(live).toContain("source-standby:succeeded");
    // Steps were seen changing state on this page: pending or running first, succeeded later.
    const changed = [...new Set(live.map((s) => s.split(":")[0]!))].filter((n) => live.includes(`${n}:succeeded`) && (live.includes(`${n}:running`) || live.includes(`${n}:pending`)));
    expect(changed.length, live.join(", ")).toBeGreaterThanOrEqual(3);

    // A reload comes back to the same operation's live view (or its summary if it just ended).
    await page.reload();
    await expect(page).toHaveURL(new RegExp(`\\?op=${opId}$`));
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Planned reversal of ${MIRROR}`);
    await expect(page.getByTestId("wizard-execute").or(page.getByTestId("wizard-summary"))).toBeVisible();
    const resumedIn = (await page.getByTestId("wizard-execute").isVisible()) ? "execute" : "summary";
    console.log(`after the reload the wizard showed: ${resumedIn}`);
    if (resumedIn === "execute") {
      // The verification may end meanwhile, and the page then moves on to the summary by itself.
      const summaryNow = page.getByTestId("wizard-summary");
      await expect(page.locator("[data-testid='exec-step-preflight'][data-status='succeeded']").or(summaryNow)).toBeVisible();
      await expect(page.locator("[data-testid='exec-step-commit'][data-status='succeeded']").or(summaryNow)).toBeVisible();
    }

    // 6. Summary: result, verification, LU states, audit trail.
    const summary = page.getByTestId("wizard-summary");
    await expect(summary).toBeVisible({ timeout: 120_000 });
    await expect(page.getByTestId("summary-outcome")).toContainText(`Planned reversal of ${MIRROR} done`);
    await expect(page.getByTestId("summary-verification").locator("[data-verification]")).toHaveAttribute("data-verification", "equal");
    await expect(page.getByTestId("summary-direction-words")).toHaveText(`Data now flows FROM h2/${SRC} TO h1/${SRC}.`);
    await expect(page.getByTestId("summary-epoch")).toContainText(String(before.epoch + 1));
    await expect(page.getByTestId("summary-outage")).toContainText(/\d+ ms/);
    await expect(page.getByTestId("summary-recopied")).toBeVisible();
    await expect(page.getByTestId("lu-node-h1")).toContainText("Standby · 2");
    await expect(page.getByTestId("lu-node-h2")).toContainText("Active · 0");
    await expect(page.getByTestId("live-direction")).toContainText(`h2/${SRC}`);
    const mine = page.getByTestId("audit-trail").locator("[data-mine='true']");
    await expect(mine.and(page.locator("[data-action='mirror.reverse.requested']"))).toContainText("e2e: planned maintenance of h1");
    await expect(mine.and(page.locator("[data-action='mirror.reverse.requested']"))).toContainText("manual");
    await expect(mine.and(page.locator("[data-action='mirror.reverse.succeeded']"))).toContainText("admin");
    await expect(page.getByTestId("wizard-stage-summary")).toHaveAttribute("aria-current", "step");
    await dismissToasts(page);
    await page.screenshot({ path: "e2e/screenshots/wizard-summary.png", fullPage: true, animations: "disabled" });

    // The execute view stays reachable from the stepper, with every step done.
    await page.getByTestId("wizard-stage-execute").click();
    await expect(page.getByTestId("exec-step-verify")).toHaveAttribute("data-status", "succeeded");
    await expect(page.getByTestId("op-progress")).toHaveText("9 of 9 steps done");
    if (!(await page.getByTestId("exec-step-commit").isHidden())) await page.screenshot({ path: `${REVIEW}/wizard-execute-done.png`, fullPage: true, animations: "disabled" });
    await page.getByRole("button", { name: "Switch to dark theme" }).click();
    await page.screenshot({ path: `${REVIEW}/wizard-execute-dark.png`, fullPage: true, animations: "disabled" });
    await page.getByTestId("wizard-stage-summary").click();
    await page.screenshot({ path: `${REVIEW}/wizard-summary-dark.png`, fullPage: true, animations: "disabled" });
    await page.getByRole("button", { name: "Switch to light theme" }).click();

    // The API agrees: same mirror, reversed, epoch + 1, LU Active on h2; the data is intact.
    const after = (await query<MirrorGet>(page.request, "mirror.get", { name: MIRROR })).mirror;
    expect(after.source.ref).toBe(`h2/${SRC}`);
    expect(after.target.ref).toBe(`h1/${SRC}`);
    expect(after.epoch).toBe(before.epoch + 1);
    const nodes = (await query<LuList>(page.request, "lu.list")).find((l) => l.guid === lu.guid)!.nodes;
    expect(nodes.map((n) => `${n.host}:${n.stateCode}`).sort()).toEqual(["h1:2", "h2:0"]);
    const read = execFileSync("qemu-io", ["-f", "raw", "-c", "read -P 0x3c 0 192M", nodes.find((n) => n.host === "h2")!.uri!], { encoding: "utf8", timeout: 60_000 });
    expect(read, read).not.toMatch(/Pattern verification failed/);

    // Back to the mirror: its page says the new direction too.
    await page.getByTestId("summary-back").click();
    await expect(page).toHaveURL(new RegExp(`/mirrors/${MIRROR}$`));
    await expect(page.getByTestId("mirror-flow-words")).toContainText(`Data flows FROM h2/${SRC} TO h1/${SRC}`);
    await expect(page.getByTestId("mirror-move-link")).toBeVisible();
  });

  test("a viewer walks the plan read-only and cannot start a move", async ({ browser, page }) => {
    test.setTimeout(120_000);
    await asAdmin(page);
    await mutate(page.request, "user.create", { username: "e2e-wizard-viewer", password: "viewer-pass-2", role: "viewer" });
    const ctx = await browser.newContext({ baseURL: process.env.TANDEM_E2E_URL });
    const viewer = await ctx.newPage();
    await signIn(viewer, "e2e-wizard-viewer", "viewer-pass-2");
    await viewer.goto(`/mirrors/${MIRROR}/move?kind=reverse`);
    await expect(viewer.getByRole("radio", { name: /Planned reversal/ })).toBeChecked();
    await viewer.getByTestId("wizard-next").click();
    await expect(viewer.getByTestId("preflight-summary")).toContainText("checks pass", { timeout: 30_000 });
    await viewer.getByTestId("wizard-next").click();
    await expect(viewer.getByTestId("plan-direction-words")).toHaveText(`Data will flow FROM h1/${SRC} TO h2/${SRC}.`);
    await viewer.getByTestId("wizard-next").click();
    await expect(viewer.getByTestId("wizard-readonly")).toContainText("only operators and admins");
    await expect(viewer.getByLabel(`Type ${MIRROR} to confirm`)).toBeDisabled();
    await expect(viewer.getByTestId("wizard-submit")).toBeDisabled();
    await expect(viewer.getByTestId("wizard-submit-blocked")).toHaveText("Needs the operator role");
    await viewer.mouse.move(0, 0);
    await viewer.screenshot({ path: `${REVIEW}/wizard-viewer.png`, fullPage: true, animations: "disabled" });
    await ctx.close();
  });
});
