"use client";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";
import { ThemeToggle } from "./theme-toggle";
import { useRealtime, type LiveState } from "./use-realtime";

const NAV = [
  { href: "/dashboard", label: "Dashboard" },
  { href: "/mirrors", label: "Mirrors" },
  { href: "/hosts", label: "Hosts" },
  { href: "/volumes", label: "Volumes" },
  { href: "/lus", label: "LUs" },
  { href: "/pair", label: "Host pair" },
];

function LiveIndicator({ state }: { state: LiveState }) {
  const text = state === "live" ? "Live" : state === "connecting" ? "Connecting" : "Reconnecting";
  const dot = state === "live" ? "bg-emerald-500" : state === "connecting" ? "bg-slate-400" : "bg-amber-500 animate-pulse";
  return (
    <span data-testid="live-indicator" data-state={state} className="inline-flex items-center gap-2 text-xs font-medium text-slate-500 dark:text-slate-400">
      <span className={`h-2 w-2 rounded-full ${dot}`} aria-hidden />
      {text}
    </span>
  );
}

export function AppShell({ children }: { children: React.ReactNode }) {
  const trpc = useTRPC();
  const pathname = usePathname();
  const router = useRouter();
  const live = useRealtime();
  const me = useQuery(trpc.auth.me.queryOptions());

  const signOut = async () => {
    await fetch("/api/auth/sign-out", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    router.replace("/login");
  };

  return (
    <div className="min-h-screen">
      <header className="sticky top-0 z-10 border-b border-slate-200 bg-white/80 backdrop-blur dark:border-slate-800 dark:bg-slate-950/80">
        <div className="mx-auto flex h-14 max-w-7xl items-center gap-6 px-6">
          <Link href="/dashboard" className="flex items-center gap-2 font-semibold tracking-tight">
            <svg viewBox="0 0 24 24" className="h-6 w-6 text-sky-600" fill="none" stroke="currentColor" strokeWidth={2} aria-hidden>
              <rect x="3" y="4" width="7" height="16" rx="1.5" />
              <rect x="14" y="4" width="7" height="16" rx="1.5" />
              <path d="M10 9h4M12 7l2 2-2 2M14 15h-4M12 13l-2 2 2 2" />
            </svg>
            Tandem
          </Link>
          <nav className="flex gap-1">
            {NAV.map((n) => (
              <Link
                key={n.href}
                href={n.href}
                aria-current={pathname.startsWith(n.href) ? "page" : undefined}
                className={`rounded-md px-3 py-1.5 text-sm font-medium ${pathname.startsWith(n.href) ? "bg-slate-100 text-slate-900 dark:bg-slate-800 dark:text-white" : "text-slate-600 hover:text-slate-900 dark:text-slate-400 dark:hover:text-white"}`}
              >
                {n.label}
              </Link>
            ))}
          </nav>
          <div className="ml-auto flex items-center gap-4">
            <LiveIndicator state={live} />
            <ThemeToggle />
            {me.data && (
              <div className="flex items-center gap-3 text-sm">
                <span className="text-slate-700 dark:text-slate-200" data-testid="current-user">
                  {me.data.username}
                  <span className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs font-medium text-slate-600 dark:bg-slate-800 dark:text-slate-300">{me.data.role}</span>
                </span>
                <button onClick={signOut} className="text-slate-500 hover:text-slate-900 dark:text-slate-400 dark:hover:text-white">
                  Sign out
                </button>
              </div>
            )}
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-7xl px-6 py-8">{children}</main>
    </div>
  );
}
