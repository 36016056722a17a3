import { PairView } from "@/components/storage/pair-view";

export const metadata = { title: "Host pair · Tandem" };

export default function PairPage() {
  return <PairView />;
}
