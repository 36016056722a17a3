import { MoveWizard } from "@/components/wizard/move-wizard";
import { isMoveKind } from "@/components/wizard/move-kinds";

type Props = { params: Promise<{ name: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props) {
  const { name } = await params;
  return { title: `Reverse or fail over ${decodeURIComponent(name)} · Mirrors · Tandem` };
}

/** `?op=ID` follows a move that was started (after a reload too); `?kind=failover` preselects a kind. */
export default async function MoveMirrorPage({ params, searchParams }: Props) {
  const { name } = await params;
  const q = await searchParams;
  const op = typeof q.op === "string" && q.op ? q.op : null;
  const kind = isMoveKind(q.kind) ? q.kind : null;
  return <MoveWizard name={decodeURIComponent(name)} initialOp={op} initialKind={kind} />;
}
