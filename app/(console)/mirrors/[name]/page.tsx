import { MirrorDetailView } from "@/components/mirrors/mirror-detail-view";

export async function generateMetadata({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  return { title: `${decodeURIComponent(name)} · Mirrors · Tandem` };
}

export default async function MirrorDetailPage({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  return <MirrorDetailView name={decodeURIComponent(name)} />;
}
