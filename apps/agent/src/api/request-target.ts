import { badRequest } from "./api-error";

export interface RequestTarget {
  /** Percent-decoded path segments: "/v1/pools/a" → ["v1", "pools", "a"]. */
  segments: string[];
  query: URLSearchParams;
}

/**
 * Splits the raw request target ourselves: the WHATWG URL parser would resolve "/v1/pools/.."
 * and "%2e%2e" away, and a name that reaches the filesystem must be seen as the client sent it.
 */
export function parseRequestTarget(rawUrl: string | undefined): RequestTarget | null {
  const url = rawUrl ?? "";
  if (!url.startsWith("/")) return null;
  const q = url.indexOf("?");
  const rawPath = q < 0 ? url : url.slice(0, q);
  const segments = rawPath
    .split("/")
    .slice(1)
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        throw badRequest("the request path has malformed percent-encoding");
      }
    });
  return { segments, query: new URLSearchParams(q < 0 ? "" : url.slice(q + 1)) };
}
