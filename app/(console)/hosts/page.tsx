import { HostsTable } from "@/components/hosts/hosts-table";
import { PageHeader } from "@/components/ui/card";

export const metadata = { title: "Hosts · Tandem" };

export default function HostsPage() {
  return (
    <>
      <PageHeader title="Hosts" description="Storage hosts running a Tandem agent. Status updates live." />
      <HostsTable />
    </>
  );
}
