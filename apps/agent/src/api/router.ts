import type { RouteHandler } from "./api-deps";
import { getEvents } from "./routes/get-events";
import { getHealth } from "./routes/get-health";
import { getAlua, putAlua } from "./routes/alua";
import { deleteLu } from "./routes/delete-lu";
import { deleteSnapshot } from "./routes/delete-snapshot";
import { deleteVolume } from "./routes/delete-volume";
import { getLu, listLuTransitions, listLus } from "./routes/get-lus";
import { getPool, listPools } from "./routes/get-pool";
import { getRebuild } from "./routes/get-rebuild";
import { getSnapshot, listSnapshots } from "./routes/get-snapshots";
import { getVolume, listVolumes } from "./routes/get-volumes";
import { postLu } from "./routes/post-lu";
import { postLuImport } from "./routes/post-lu-import";
import { postLuStandby } from "./routes/post-lu-standby";
import { postSnapshot } from "./routes/post-snapshot";
import { postSnapshotClone } from "./routes/post-snapshot-clone";
import { postSnapshotRevert } from "./routes/post-snapshot-revert";
import { postVolume } from "./routes/post-volume";
import { postVolumeResize } from "./routes/post-volume-resize";
import { postVolumeChecksums } from "./routes/post-volume-checksums";
import { getMirror, getReplication, listMirrors, listReplicationExports } from "./routes/get-replication";
import { deleteMirror, patchMirror, postMirror, postMirrorPause, postMirrorResume } from "./routes/mirror-actions";
import { deleteReplicationExportRoute, postReplicationExport } from "./routes/replication-export";
import { deleteBaseExportRoute, postBaseExport } from "./routes/base-export";
import { postMirrorFence } from "./routes/post-mirror-fence";
import { postVolumeCopyRanges } from "./routes/post-volume-copy-ranges";
import { postVolumeMergeOverlay } from "./routes/post-volume-merge-overlay";
import { postVolumePromote } from "./routes/post-volume-promote";
import { postPeerProbe } from "./routes/post-peer-probe";

interface Route {
  method: string;
  /** Path segments; ":name" captures one segment. */
  path: string[];
  handler: RouteHandler;
}

const route = (method: string, path: string, handler: RouteHandler): Route => ({
  method,
  path: path.split("/").slice(1),
  handler,
});

export const routes: Route[] = [
  route("GET", "/v1/health", getHealth),
  route("GET", "/v1/events", getEvents),
  route("GET", "/v1/pools", listPools),
  route("GET", "/v1/pools/:name", getPool),
  route("GET", "/v1/volumes", listVolumes),
  route("POST", "/v1/volumes", postVolume),
  route("GET", "/v1/volumes/:name", getVolume),
  route("DELETE", "/v1/volumes/:name", deleteVolume),
  route("POST", "/v1/volumes/:name/resize", postVolumeResize),
  route("GET", "/v1/volumes/:name/snapshots", listSnapshots),
  route("POST", "/v1/volumes/:name/snapshots", postSnapshot),
  route("GET", "/v1/volumes/:name/snapshots/:snap", getSnapshot),
  route("DELETE", "/v1/volumes/:name/snapshots/:snap", deleteSnapshot),
  route("POST", "/v1/volumes/:name/snapshots/:snap/revert", postSnapshotRevert),
  route("POST", "/v1/volumes/:name/snapshots/:snap/clone", postSnapshotClone),
  route("GET", "/v1/lus", listLus),
  route("POST", "/v1/lus", postLu),
  route("GET", "/v1/lus/:guid", getLu),
  route("DELETE", "/v1/lus/:guid", deleteLu),
  route("POST", "/v1/lus/:guid/standby", postLuStandby),
  route("POST", "/v1/lus/:guid/import", postLuImport),
  route("GET", "/v1/lus/:guid/transitions", listLuTransitions),
  route("GET", "/v1/alua", getAlua),
  route("PUT", "/v1/alua", putAlua),
  route("GET", "/v1/state/rebuild", getRebuild),
  route("POST", "/v1/volumes/:name/checksums", postVolumeChecksums),
  route("GET", "/v1/replication", getReplication),
  route("POST", "/v1/peer/probe", postPeerProbe),
  route("GET", "/v1/replication/exports", listReplicationExports),
  route("POST", "/v1/replication/exports", postReplicationExport),
  route("DELETE", "/v1/replication/exports/:name", deleteReplicationExportRoute),
  route("GET", "/v1/mirrors", listMirrors),
  route("POST", "/v1/mirrors", postMirror),
  route("GET", "/v1/mirrors/:name", getMirror),
  route("PATCH", "/v1/mirrors/:name", patchMirror),
  route("DELETE", "/v1/mirrors/:name", deleteMirror),
  route("POST", "/v1/mirrors/:name/pause", postMirrorPause),
  route("POST", "/v1/mirrors/:name/resume", postMirrorResume),
  // Failover building blocks (contracts/failover.ts).
  route("POST", "/v1/mirrors/:name/fence", postMirrorFence),
  route("POST", "/v1/volumes/:name/promote", postVolumePromote),
  route("POST", "/v1/volumes/:name/base-export", postBaseExport),
  route("DELETE", "/v1/volumes/:name/base-export", deleteBaseExportRoute),
  route("POST", "/v1/volumes/:name/copy-ranges", postVolumeCopyRanges),
  route("POST", "/v1/volumes/:name/merge-overlay", postVolumeMergeOverlay),
];

export type RouteMatch =
  | { kind: "found"; handler: RouteHandler; params: Record<string, string> }
  | { kind: "wrong-method"; allow: string[] }
  | { kind: "none" };

export function matchRoute(method: string, segments: string[]): RouteMatch {
  const allow: string[] = [];
  for (const r of routes) {
    if (r.path.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const fits = r.path.every((part, i) => {
      if (part.startsWith(":")) params[part.slice(1)] = segments[i]!;
      return part.startsWith(":") || part === segments[i];
    });
    if (!fits) continue;
    if (r.method === method) return { kind: "found", handler: r.handler, params };
    allow.push(r.method);
  }
  return allow.length > 0 ? { kind: "wrong-method", allow } : { kind: "none" };
}
