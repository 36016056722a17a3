// Turns tRPC client errors into what a person should read, and splits the server's zod
// messages ("invalid input: name: …; size: …") into per-field messages for inline display.

type ErrLike = { message?: string; data?: { code?: string; httpStatus?: number } | null } | null | undefined;

export function errorCode(err: unknown): string | undefined {
  return (err as ErrLike)?.data?.code ?? undefined;
}

export function errorMessage(err: unknown): string {
  const e = err as ErrLike;
  const msg = e?.message || "something went wrong";
  if (e?.data?.code === "FORBIDDEN") return `Not allowed: ${msg}`;
  if (e?.data?.code === "UNAUTHORIZED") return "Your session has ended: sign in again.";
  if (/fetch failed|Failed to fetch|NetworkError/i.test(msg)) return "The console cannot be reached.";
  return msg;
}

/** Field → message for input errors; `rest` holds whatever did not name a field. */
export function fieldErrors(err: unknown, fields: readonly string[]): { fields: Record<string, string>; rest: string | null } {
  const out: Record<string, string> = {};
  if (!err) return { fields: out, rest: null };
  const msg = errorMessage(err);
  const m = /^invalid input: (.*)$/s.exec(msg);
  if (!m) return { fields: out, rest: msg };
  const rest: string[] = [];
  for (const part of m[1]!.split("; ")) {
    const f = /^([\w.]+): (.*)$/s.exec(part);
    const key = f?.[1]?.split(".")[0];
    if (f && key && fields.includes(key)) out[key] = out[key] ? `${out[key]}; ${f[2]}` : f[2]!;
    else rest.push(part);
  }
  return { fields: out, rest: rest.length ? `Invalid input: ${rest.join("; ")}` : null };
}
