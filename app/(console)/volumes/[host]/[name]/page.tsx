import { VolumeDetailView } from "@/components/storage/volume-detail-view";

export async function generateMetadata({ params }: { params: Promise<{ host: string; name: string }> }) {
  const { host, name } = await params;
  return { title: `${decodeURIComponent(host)}/${decodeURIComponent(name)} · Volumes · Tandem` };
}

export default async function VolumeDetailPage({ params }: { params: Promise<{ host: string; name: string }> }) {
  const { host, name } = await params;
  return <VolumeDetailView host={decodeURIComponent(host)} name={decodeURIComponent(name)} />;
}
