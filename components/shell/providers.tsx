"use client";
import { useState } from "react";
import { MutationCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import superjson from "superjson";
import type { AppRouter } from "@/server/trpc/root";
import { TRPCProvider } from "@/lib/trpc";
import { ToastProvider } from "@/components/ui/toast";

export function Providers({ children }: { children: React.ReactNode }) {
  const [queryClient] = useState(() => {
    const qc: QueryClient = new QueryClient({
      // A refusal for lack of role means the role shown is stale (it was changed meanwhile):
      // re-read it so pages fall back to read-only.
      mutationCache: new MutationCache({
        onError: (err) => {
          if ((err as { data?: { code?: string } })?.data?.code === "FORBIDDEN") void qc.invalidateQueries({ queryKey: [["auth", "me"]] });
        },
      }),
      defaultOptions: {
        queries: {
          // Live data arrives over socket.io; refetching on focus would only duplicate it.
          staleTime: 30_000,
          refetchOnWindowFocus: false,
          retry: (count, err) => count < 2 && !/UNAUTHORIZED|FORBIDDEN|NOT_FOUND/.test(String((err as { data?: { code?: string } })?.data?.code)),
        },
      },
    });
    return qc;
  });
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: "/api/trpc", transformer: superjson })] }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <ToastProvider>{children}</ToastProvider>
      </TRPCProvider>
    </QueryClientProvider>
  );
}
