"use client";
// Short-lived confirmations ("Snapshot s1 created") in a polite live region. Errors that need
// reading stay inline next to what failed; toasts are for outcomes.
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from "react";

type Toast = { id: number; tone: "success" | "error" | "info"; title: string; body?: string };
type Push = (t: Omit<Toast, "id">) => void;

const ToastContext = createContext<Push>(() => {});

export function useToast(): Push {
  return useContext(ToastContext);
}

let nextId = 1;

export function ToastProvider({ children }: { children: React.ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const dismiss = useCallback((id: number) => setToasts((ts) => ts.filter((t) => t.id !== id)), []);
  const push = useCallback<Push>((t) => setToasts((ts) => [...ts.slice(-3), { ...t, id: nextId++ }]), []);
  const value = useMemo(() => push, [push]);
  return (
    <ToastContext.Provider value={value}>
      {children}
      <div aria-live="polite" className="pointer-events-none fixed bottom-4 right-4 z-[60] flex w-80 flex-col gap-2">
        {toasts.map((t) => (
          <ToastItem key={t.id} toast={t} onDismiss={dismiss} />
        ))}
      </div>
    </ToastContext.Provider>
  );
}

const tones = {
  success: "border-emerald-500/40 [&_.dot]:bg-emerald-500",
  error: "border-rose-500/50 [&_.dot]:bg-rose-500",
  info: "border-sky-500/40 [&_.dot]:bg-sky-500",
};

function ToastItem({ toast, onDismiss }: { toast: Toast; onDismiss: (id: number) => void }) {
  useEffect(() => {
    const t = setTimeout(() => onDismiss(toast.id), toast.tone === "error" ? 9000 : 4500);
    return () => clearTimeout(t);
  }, [toast.id, toast.tone, onDismiss]);
  return (
    <div
      role={toast.tone === "error" ? "alert" : "status"}
      data-testid="toast"
      className={`pointer-events-auto flex gap-3 rounded-lg border bg-white px-4 py-3 text-sm shadow-lg dark:bg-slate-900 ${tones[toast.tone]}`}
    >
      <span className="dot mt-1.5 h-2 w-2 flex-none rounded-full" aria-hidden />
      <div className="min-w-0 flex-1">
        <div className="font-medium text-slate-900 dark:text-slate-100">{toast.title}</div>
        {toast.body && <div className="mt-0.5 break-words text-slate-600 dark:text-slate-400">{toast.body}</div>}
      </div>
      <button type="button" onClick={() => onDismiss(toast.id)} aria-label="Dismiss" className="-mr-1 h-5 w-5 flex-none rounded text-slate-400 hover:text-slate-700 dark:hover:text-slate-200">
        ×
      </button>
    </div>
  );
}
