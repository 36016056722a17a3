import type { z } from "zod";

/** "label: first problem; second problem", for a person reading an API error. */
export function zodMessage(label: string, error: z.ZodError): string {
  const problems = error.issues.map((issue) =>
    issue.path.length > 0 ? `${issue.path.join(".")}: ${issue.message}` : issue.message,
  );
  return `${label}: ${problems.join("; ")}`;
}
