// Failback in the move wizard, against the real stack. A volume with an LU holds real data
// (qemu-io) and is mirrored h1 → h2 (async). The mirror is paused and h1 takes writes that never
// reach h2; then a forced failover (walked in the wizard) promotes h2, which takes writes of its
// own. The failback is walked in the UI: choose → preflight → plan (direction, steps, bytes to
// copy, the data of h1 to be discarded, safety snapshot) → confirm → execute (steps seen changing
// live, a reload that brings the same live view back) → summary with verification and audit
// trail, then the planned reversal back that the failback queued. Both sides are compared at the
// end, a client writes on h1 again, and everything made here is removed.
import { execFileSync } from "node:child_process";
import type { APIRequestContext, Page } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { adminSession, dismissToasts, mutate, query, seenSteps, watchSteps } from "./support/session";

const { asAdmin } = adminSession();

const SRC = "e2e-fbsrc";
const MIRROR = "e2e-fb1";
const MiB = 2 ** 20;
/** Screenshots only for looking at during development (not kept in the repository). */
const REVIEW = "test-results/review";

type End = { ref: string; host: string };
type MirrorGet = {
  mirror: { state: string; lagBytes: number; epoch: number; source: End; target: End };
  operations: { id: string; kind: string; status: string; manual: boolean; createdAt: string }[];
};
type LuList = { guid: string; nodes: { host: string; stateCode: number; uri: string | null }[] }[];
type Verify = { equal: boolean; differingRanges: unknown[] };

const mirrorOf = async (req: APIRequestContext) => query<MirrorGet>(req, "mirror.get", { name: MIRROR });

/** A real NBD client: qemu-io on an LU's URI. */
function qemuIo(uri: string, ...cmds: string[]) {
  return execFileSync("qemu-io", ["-f", "raw", ...cmds.flatMap((c) => ["-c", c]), uri], { encoding: "utf8", timeout: 60_000, stdio: ["ignore", "pipe", "pipe"] });
}

async function luUri(req: APIRequestContext, guid: string, host: string) {
  const nodes = (await query<LuList>(req, "lu.list")).find((l) => l.guid === guid)!.nodes;
  return nodes.find((n) => n.host === host)!.uri!;
}

const shot = (page: Page, path: string) => page.screenshot({ path, fullPage: true, animations: "disabled" });


test.describe("move wizard: failback", () => {
  test("failover, then failback walked in the wizard with a safety snapshot and a reversal back; both sides equal", async ({ page }) => {
    test.setTimeout(420_000);
    const t0 = Date.now();
    await asAdmin(page);
    const req = page.request;

    // A source with an LU and real data, mirrored h1 → h2 in async mode (so a pause really keeps
    // writes on h1 only), set up through the API.
    await mutate(req, "volume.create", { host: "h1", name: SRC, size: "256M" });
    const lu = await mutate<{ uri: string | null; guid: string }>(req, "lu.create", { volume: `h1/${SRC}`, alias: "e2e failback" });
    expect(qemuIo(lu.uri!, "write -P 0x11 0 64M")).toContain("wrote 67108864/67108864 bytes");
    await mutate(req, "mirror.create", { name: MIRROR, source: `h1/${SRC}`, target: `h2/${SRC}`, createTarget: true, mode: "async" });
    await expect
      .poll(async () => {
        const m = (await mirrorOf(req)).mirror;
        return `${m.state}/${m.lagBytes}`;
      }, { timeout: 120_000 })
      .toBe("in_sync/0");
    // Later copies are limited, so the failback's copy back runs long enough to be watched.
    await mutate(req, "mirror.modify", { name: MIRROR, speedLimit: "4M" });

    // Writes h2 never gets: the mirror is paused, h1 keeps serving its clients.
    await mutate(req, "mirror.pause", { name: MIRROR });
    await expect.poll(async () => (await mirrorOf(req)).mirror.state, { timeout: 30_000 }).toBe("paused");
    expect(qemuIo(lu.uri!, "write -P 0x66 128M 8M", "flush")).toContain("wrote 8388608/8388608 bytes");
    const epoch0 = (await mirrorOf(req)).mirror.epoch;

    // Failover in the wizard: forced (h1 is online), with a reason.
    await page.goto(`/mirrors/${MIRROR}/move?kind=failover`);
    await expect(page.getByRole("radio", { name: /^Failover/ })).toBeChecked();
    await expect(page.getByTestId("kind-failover").getByTestId("kind-ready")).toBeVisible({ timeout: 30_000 });
    await page.getByTestId("wizard-next").click();
    await expect(page.getByTestId("preflight-forced")).toContainText("forced", { timeout: 30_000 });
    await page.getByTestId("wizard-next").click();
    await expect(page.getByTestId("plan-direction-words")).toContainText(`h2/${SRC} will serve clients`);
    await page.getByTestId("wizard-next").click();
    await page.getByLabel(/^Reason/).fill("e2e: h1 rack power test");
    await page.getByLabel("Force the failover while the source is online").check();
    await page.getByLabel(`Type ${MIRROR} to confirm`).fill(MIRROR);
    await page.getByTestId("wizard-submit").click();
    await expect(page).toHaveURL(/\/move\?op=[\w-]+$/);
    await expect(page.getByTestId("wizard-summary")).toBeVisible({ timeout: 120_000 });
    await expect(page.getByTestId("summary-outcome")).toContainText(`h2/${SRC} serves clients now`);
    await expect(page.getByTestId("summary-direction-words")).toHaveText(`h2/${SRC} serves clients; nothing flows until a failback.`);
    await expect(page.getByTestId("summary-uri")).toContainText("nbd://");
    await expect(page.getByTestId("summary-old-source")).toContainText("Demoted and fenced");
    await expect(page.getByTestId("live-direction")).toContainText("fenced, nothing flows");
    await expect(page.getByTestId("lu-node-h2")).toContainText("Active · 0");
    await expect(page.getByTestId("lu-node-h1")).toContainText("Standby · 2");
    await dismissToasts(page);
    await shot(page, `${REVIEW}/wizard-failover-summary.png`);
    const failedOver = (await mirrorOf(req)).mirror;
    expect(failedOver.state).toBe("failed_over");
    expect(failedOver.epoch).toBe(epoch0 + 1);

    // Clients carry on at h2: the data from before the pause is there, new writes land. The old
    // source is held in Standby: no client reaches it.
    const h2Uri = await luUri(req, lu.guid, "h2");
    qemuIo(h2Uri, "read -P 0x11 0 64M");
    expect(qemuIo(h2Uri, "write -P 0x22 160M 40M", "flush")).toContain("wrote 41943040/41943040 bytes");
    expect(() => qemuIo(lu.uri!, "read 0 1M")).toThrow();

    // 1. Choose: failback is ready; a reversal is not (the mirror is failed over), with the reason.
    await page.getByRole("button", { name: "Start another move" }).click();
    await expect(page).toHaveURL(new RegExp(`/mirrors/${MIRROR}/move$`));
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Reverse or fail over ${MIRROR}`);
    await expect(page.getByTestId("kind-failback").getByTestId("kind-ready")).toBeVisible({ timeout: 60_000 });
    await expect(page.getByTestId("kind-reverse").getByTestId("kind-not-ready")).toContainText("in sync");
    await page.getByTestId("kind-failback").click();
    await expect(page.getByRole("radio", { name: /^Failback/ })).toBeChecked();
    await dismissToasts(page);
    await shot(page, `${REVIEW}/wizard-failback-choose.png`);

    // 2. Preflight: every check passes with its reason, the compare included.
    await page.getByTestId("wizard-next").click();
    await expect(page.getByTestId("wizard-preflight")).toBeVisible();
    await expect(page.getByTestId("preflight-summary")).toContainText("All 5 checks pass", { timeout: 60_000 });
    const checks = page.getByTestId("preflight-check");
    await expect(checks).toHaveCount(5);
    for (const c of await checks.all()) await expect(c).toHaveAttribute("data-ok", "true");
    const checkList = page.getByTestId("preflight-checks");
    await expect(checkList).toContainText("failed over");
    await expect(checkList).toContainText("h1 back");
    await expect(checkList).toContainText(`never reached h2/${SRC}`);
    await shot(page, `${REVIEW}/wizard-failback-preflight.png`);
    await page.getByTestId("wizard-next").click();

    // 3. Plan: the direction in words, the steps, what is copied and what is discarded.
    await expect(page.getByTestId("wizard-plan")).toBeVisible();
    await expect(page.getByTestId("plan-today")).toContainText(`Today h2/${SRC} serves clients and nothing flows`);
    await expect(page.getByTestId("plan-direction-words")).toContainText(`Data will flow FROM h2/${SRC} TO h1/${SRC}.`);
    await expect(page.getByTestId("plan-direction-words")).toContainText(`FROM h1/${SRC} TO h2/${SRC} again`);
    await expect(page.getByTestId("plan-steps").locator("li")).toHaveCount(7);
    await expect(page.getByTestId("plan-steps")).toContainText("merge the promotion overlay");
    const plan = await query<{ bytesToCopy: number; discards: string }>(req, "mirror.plan", { name: MIRROR, kind: "failback" });
    console.log(`failback plan: ${plan.bytesToCopy} bytes to copy; discards: ${plan.discards}`);
    // h1's own 8 MiB plus h2's 40 MiB since promotion (the overlay's clusters may add a little).
    expect(plan.bytesToCopy).toBeGreaterThanOrEqual(48 * MiB);
    await expect(page.getByTestId("plan-bytes")).toContainText(`${plan.bytesToCopy.toLocaleString("en-US")} bytes: the chunks that differ on h1`);
    await expect(page.getByTestId("plan-discards")).toContainText(`8.0 MiB (8,388,608 bytes) written on h1/${SRC} that never reached h2/${SRC} will be replaced`);
    const snapshot = page.getByLabel(`Take a safety snapshot of h1/${SRC} first`);
    await expect(snapshot).toBeChecked();
    await expect(page.getByTestId("plan-snapshot")).toContainText("Will be taken");
    await expect(page.getByLabel(new RegExp(`^Then reverse back`))).toBeChecked();
    await dismissToasts(page);
    await shot(page, "e2e/screenshots/wizard-failback-plan.png");
    await page.getByRole("button", { name: "Switch to dark theme" }).click();
    await shot(page, `${REVIEW}/wizard-failback-plan-dark.png`);
    await page.getByRole("button", { name: "Switch to light theme" }).click();
    await page.getByTestId("wizard-next").click();

    // 4. Confirm: typed name.
    await expect(page.getByTestId("wizard-confirm")).toBeVisible();
    const submit = page.getByTestId("wizard-submit");
    await expect(submit).toHaveText("Fail back");
    await expect(submit).toBeDisabled();
    await expect(page.getByTestId("confirm-recap")).toContainText(`safety snapshot of h1/${SRC} first · then reverse back to the original direction`);
    await expect(page.getByTestId("confirm-discards")).toContainText("8.0 MiB (8,388,608 bytes) written on h1");
    await expect(page.getByTestId("confirm-discards")).toContainText("the safety snapshot keeps a copy");
    await page.getByLabel(/^Reason/).fill("e2e: h1 power restored");
    await page.getByLabel(`Type ${MIRROR} to confirm`).fill(MIRROR);
    await expect(submit).toBeEnabled();
    await shot(page, `${REVIEW}/wizard-failback-confirm.png`);

    await watchSteps(page);
    const startedAt = Date.now();
    await submit.click();

    // 5. Execute: steps change state live; the copy back (limited to 4 MiB/s) is watched while it runs.
    await expect(page).toHaveURL(/\/move\?op=[\w-]+$/);
    const opId = new URL(page.url()).searchParams.get("op")!;
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Failback of ${MIRROR}`);
    const mirrorBack = page.getByTestId("exec-step-mirror-back");
    await expect(mirrorBack).toHaveAttribute("data-status", "running", { timeout: 120_000 });
    await expect(page.getByTestId("live-direction")).toContainText("copying back");
    await page.mouse.move(0, 0);
    await shot(page, "e2e/screenshots/wizard-failback-execute.png");
    const live = await seenSteps(page);
    console.log(`step states seen live (${Date.now() - startedAt} ms after submit): ${live.join(", ")}`);
    expect(live).toContain("compare:succeeded");
    expect(live).toContain("safety-snapshot:succeeded");
    expect(live).toContain("mirror-back:running");
    const changed = [...new Set(live.map((x) => x.split(":")[0]!))].filter((n) => live.includes(`${n}:succeeded`) && (live.includes(`${n}:running`) || live.includes(`${n}:pending`)));
    expect(changed.length, live.join(", ")).toBeGreaterThanOrEqual(3);

    // A reload mid-way (the copy back is running) comes back to the same operation's live view,
    // which goes on updating: the copy's rate and ETA appear from byte counts seen after the reload.
    await page.reload();
    await expect(page).toHaveURL(new RegExp(`\\?op=${opId}$`));
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Failback of ${MIRROR}`);
    await expect(page.getByTestId("wizard-execute").or(page.getByTestId("wizard-summary"))).toBeVisible();
    const resumedIn = (await page.getByTestId("wizard-execute").isVisible()) ? "execute" : "summary";
    console.log(`after the reload the wizard showed: ${resumedIn}`);
    if (resumedIn === "execute") {
      // The failback may end meanwhile, and the page then moves on to the summary by itself.
      const summaryNow = page.getByTestId("wizard-summary");
      await expect(page.locator("[data-testid='exec-step-compare'][data-status='succeeded']").or(summaryNow)).toBeVisible();
      await expect(mirrorBack.getByTestId("step-bytes").filter({ hasText: /\/s · ETA/ }).or(summaryNow)).toBeVisible({ timeout: 60_000 });
      if (await page.getByTestId("wizard-execute").isVisible()) {
        await page.mouse.move(0, 0);
        await shot(page, "e2e/screenshots/wizard-failback-execute.png");
      } else console.log("the copy back ended before its rate was shown after the reload");
    }

    // 6. Summary: outcome, what was replaced and copied, the snapshot, verification, audit trail.
    await expect(page.getByTestId("wizard-summary")).toBeVisible({ timeout: 180_000 });
    await expect(page.getByTestId("summary-outcome")).toContainText(`Failback of ${MIRROR} done`);
    await expect(page.getByTestId("summary-outcome")).toContainText(`h1/${SRC} holds the same data as h2/${SRC} again`);
    await expect(page.getByTestId("summary-verification").locator("[data-verification]")).toHaveAttribute("data-verification", "equal");
    await expect(page.getByTestId("summary-discarded")).toContainText("8.0 MiB");
    await expect(page.getByTestId("summary-discarded")).toContainText("kept in the safety snapshot");
    await expect(page.getByTestId("summary-copied")).toContainText("MiB");
    await expect(page.getByTestId("summary-snapshot")).toContainText(`before-failback-e${epoch0 + 1}`);
    await expect(page.getByTestId("summary-snapshot")).toContainText(`of h1/${SRC}, as it was before the failback`);
    await expect(page.getByTestId("summary-merge")).toContainText(/\d+ ms/);
    await expect(page.getByTestId("summary-events")).toContainText("8.0 MiB (8,388,608 bytes) on h1 had never reached h2");
    const mine = page.getByTestId("audit-trail").locator("[data-mine='true']");
    await expect(mine.and(page.locator("[data-action='mirror.failback.requested']"))).toContainText("e2e: h1 power restored");
    await expect(mine.and(page.locator("[data-action='mirror.failback.requested']"))).toContainText("manual");
    await expect(mine.and(page.locator("[data-action='mirror.failback.succeeded']"))).toContainText("admin");

    // The reversal back that the failback queued: shown on the summary, followed to its own end.
    const followUp = page.getByTestId("summary-follow-up");
    await expect(followUp).toContainText("Then: a planned reversal back");
    await expect(followUp.locator("[data-status]")).toHaveAttribute("data-status", "succeeded", { timeout: 120_000 });
    await expect(followUp).toContainText(`Data flows FROM h1/${SRC} TO h2/${SRC} again.`);
    await expect(page.getByTestId("summary-direction-words")).toHaveText(`Data now flows FROM h1/${SRC} TO h2/${SRC}.`);
    await expect(page.getByTestId("audit-trail").locator("[data-action='mirror.reverse.succeeded']").first()).toContainText("automatic");
    await dismissToasts(page);
    await shot(page, "e2e/screenshots/wizard-failback-summary.png");
    await page.getByRole("button", { name: "Switch to dark theme" }).click();
    await shot(page, `${REVIEW}/wizard-failback-summary-dark.png`);
    await page.getByRole("button", { name: "Switch to light theme" }).click();

    await followUp.getByTestId("summary-follow-up-link").click();
    await expect(page).toHaveURL(/\/move\?op=[\w-]+$/);
    expect(new URL(page.url()).searchParams.get("op")).not.toBe(opId);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Planned reversal of ${MIRROR}`);
    await expect(page.getByTestId("summary-outcome")).toContainText(`Planned reversal of ${MIRROR} done`);
    await expect(page.getByTestId("summary-verification").locator("[data-verification]")).toHaveAttribute("data-verification", "equal");
    await expect(page.getByTestId("lu-node-h1")).toContainText("Active · 0");
    await expect(page.getByTestId("lu-node-h2")).toContainText("Standby · 2");
    await expect(page.getByTestId("audit-trail").locator("[data-mine='true'][data-action='mirror.reverse.requested']")).toContainText("planned reversal requested with the failback");
    await dismissToasts(page);
    await shot(page, `${REVIEW}/wizard-failback-reverse-summary.png`);

    // The API agrees: the original direction, epoch + 2 (failover, reversal), both sides equal.
    const after = (await mirrorOf(req)).mirror;
    expect(`${after.source.ref} → ${after.target.ref}`).toBe(`h1/${SRC} → h2/${SRC}`);
    expect(after.epoch).toBe(epoch0 + 2);
    const verified = await mutate<Verify>(req, "mirror.verify", { name: MIRROR });
    expect(verified.equal).toBe(true);
    expect(verified.differingRanges).toEqual([]);
    // h1 serves again, with h2's data: the old data, h2's writes, and h1's own 8 MiB replaced.
    const h1Uri = await luUri(req, lu.guid, "h1");
    for (const cmd of ["read -P 0x11 0 64M", "read -P 0x00 128M 8M", "read -P 0x22 160M 40M"]) expect(qemuIo(h1Uri, cmd), cmd).not.toMatch(/Pattern verification failed/);
    // What h1 held of its own is still in the safety snapshot.
    const vol = await query<{ snapshots: { name: string }[] }>(req, "volume.get", { volume: `h1/${SRC}` });
    expect(vol.snapshots.map((x) => x.name)).toContain(`before-failback-e${epoch0 + 1}`);

    // A real client write after the failback reaches h2 again.
    expect(qemuIo(h1Uri, "write -P 0x77 8M 4M", "flush")).toContain("wrote 4194304/4194304 bytes");
    await expect
      .poll(async () => {
        const v = await mutate<Verify>(req, "mirror.verify", { name: MIRROR });
        return `${v.equal}/${v.differingRanges.length}`;
      }, { timeout: 60_000 })
      .toBe("true/0");

    // Leave the shared stack as it was: the mirror, its target, the LU and the volume go.
    await mutate(req, "mirror.delete", { name: MIRROR, deleteTarget: true });
    await expect.poll(async () => (await query<{ name: string }[]>(req, "mirror.list")).some((m) => m.name === MIRROR), { timeout: 60_000 }).toBe(false);
    const left = (await query<LuList>(req, "lu.list")).find((l) => l.guid === lu.guid)?.nodes ?? [];
    for (const n of left) await mutate(req, "lu.delete", { guid: lu.guid, host: n.host });
    await mutate(req, "volume.delete", { volume: `h1/${SRC}` });
    await expect.poll(async () => (await query<{ name: string; host: string }[]>(req, "volume.list")).filter((v) => v.name === SRC).length, { timeout: 60_000 }).toBe(0);
    console.log(`done after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  });
});
