import type { AnyOperationDefinition } from "../types";
import { cloneSnapshotOp, createSnapshotOp, createVolumeOp, deleteSnapshotOp, deleteVolumeOp, resizeVolumeOp, revertSnapshotOp } from "./volume-ops";
import { createMirrorOp, deleteMirrorOp, modifyMirrorOp, pauseMirrorOp, resumeMirrorOp } from "./mirror-ops";
import { reverseMirrorOp } from "./reverse-mirror";
import { failoverMirrorOp } from "./failover-mirror";
import { failbackMirrorOp } from "./failback-mirror";
import { createLuOp, deleteLuOp, importLuOp, setAluaOp, standbyLuOp } from "./lu-ops";

export const definitions = [
  createVolumeOp,
  resizeVolumeOp,
  deleteVolumeOp,
  createSnapshotOp,
  revertSnapshotOp,
  cloneSnapshotOp,
  deleteSnapshotOp,
  createLuOp,
  deleteLuOp,
  standbyLuOp,
  importLuOp,
  setAluaOp,
  createMirrorOp,
  modifyMirrorOp,
  pauseMirrorOp,
  resumeMirrorOp,
  deleteMirrorOp,
  reverseMirrorOp,
  failoverMirrorOp,
  failbackMirrorOp,
] satisfies AnyOperationDefinition[];
