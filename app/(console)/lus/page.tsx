import { LusView } from "@/components/storage/lus-view";

export const metadata = { title: "LUs · Tandem" };

export default function LusPage() {
  return <LusView />;
}
