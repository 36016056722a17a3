import { Suspense } from "react";
import { LoginForm } from "@/components/shell/login-form";

export const metadata = { title: "Sign in · Tandem" };

export default function LoginPage() {
  return (
    <div className="flex min-h-screen items-center justify-center bg-gradient-to-b from-slate-100 to-slate-50 px-4 dark:from-slate-950 dark:to-slate-900">
      <div className="w-full max-w-sm">
        <div className="mb-8 text-center">
          <svg viewBox="0 0 24 24" className="mx-auto h-10 w-10 text-sky-600" fill="none" stroke="currentColor" strokeWidth={2} aria-hidden>
            <rect x="3" y="4" width="7" height="16" rx="1.5" />
            <rect x="14" y="4" width="7" height="16" rx="1.5" />
            <path d="M10 9h4M12 7l2 2-2 2M14 15h-4M12 13l-2 2 2 2" />
          </svg>
          <h1 className="mt-4 text-2xl font-semibold tracking-tight">Sign in to Tandem</h1>
          <p className="mt-1 text-sm text-slate-500 dark:text-slate-400">Block volume mirroring console</p>
        </div>
        <Suspense>
          <LoginForm />
        </Suspense>
      </div>
    </div>
  );
}
