import { VolumesView } from "@/components/storage/volumes-view";

export const metadata = { title: "Volumes · Tandem" };

export default function VolumesPage() {
  return <VolumesView />;
}
