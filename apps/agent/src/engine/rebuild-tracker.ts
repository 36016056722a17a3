import type { RebuildReport, RebuildStatus } from "@tandem/contracts/storage";

/** Whether a rebuild runs, and what the last one did (GET /v1/state/rebuild). */
export class RebuildTracker {
  private inProgress = false;
  private last: RebuildReport | null = null;

  begin(): void {
    this.inProgress = true;
  }

  finish(report: RebuildReport | null): void {
    this.inProgress = false;
    if (report) this.last = report;
  }

  status(): RebuildStatus {
    return { inProgress: this.inProgress, last: this.last };
  }
}
