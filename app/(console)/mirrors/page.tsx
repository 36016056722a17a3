import { MirrorsView } from "@/components/mirrors/mirrors-view";

export const metadata = { title: "Mirrors · Tandem" };

export default function MirrorsPage() {
  return <MirrorsView />;
}
