import type { VolumeRecord } from "../state/state-schema";
import type { AgentState } from "../state/state-schema";
import { mirrorNodes, nodeExists } from "./mirror-qmp";
import type { QmpSession } from "./qsd-access";
import { topNode } from "./volume-nodes";

/**
 * The node an LU's client export must sit on: the mirror's filter while a mirror job runs on
 * the volume, else the volume's top node (its own, or the overlay of a promoted volume). An export added below the filter bypasses the
 * mirror and the target silently diverges (ENGINE-NOTES).
 */
export async function clientExportNode(state: AgentState, qmp: QmpSession, volume: VolumeRecord): Promise<string> {
  const mirror = state.mirrors.find((m) => m.volume === volume.name);
  if (mirror) {
    const { filter } = mirrorNodes(mirror.nodeNumber);
    if (await nodeExists(qmp, filter)) return filter;
  }
  return topNode(volume);
}
