"use client";
import { useEffect, useState } from "react";

/** The current time, re-read every `everyMs`, for "3 min ago" labels. */
export function useNow(everyMs: number) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
}
