"use client";
// Throughput and lag of the last hour as an inline SVG: two series, each with its own axis
// (throughput left, lag right), time along the bottom. Fed by the server's samples and the live
// points the realtime layer appends.
import { useId, useMemo, useState } from "react";
import { formatBytes, formatRate } from "@/lib/format";
import type { ChartSample } from "./mirror-cache";

const W = 760;
const H = 260;
const PAD = { l: 72, r: 72, t: 26, b: 40 };
const HOUR = 3600_000;
const MIN_SPAN = 30_000;
const GAP_MS = 45_000;

type Pt = { t: number; rate: number; lag: number };

/** A "nice" axis maximum and its ticks (1, 2, 2.5, 5 × 10^n steps). */
function niceTicks(max: number, count = 4): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let v = 0; v <= max + step * 0.001; v += step) ticks.push(v);
  if (ticks[ticks.length - 1]! < max) ticks.push(ticks[ticks.length - 1]! + step);
  return ticks;
}

/** Binary-unit ticks: axes in MiB read better as 0, 4, 8, 12 MiB than 0, 5.2, 10.5 MB. */
function byteTicks(max: number): number[] {
  if (!(max > 0)) return [0, 1024 * 1024];
  const unit = 1024 ** Math.max(0, Math.floor(Math.log(max) / Math.log(1024)));
  return niceTicks(max / unit).map((v) => v * unit);
}

function clock(t: number) {
  return new Date(t).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
}
function clockSec(t: number) {
  return new Date(t).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

function downsample(points: Pt[], buckets: number): Pt[] {
  if (points.length <= buckets) return points;
  const t0 = points[0]!.t;
  const span = points[points.length - 1]!.t - t0 || 1;
  const out: Pt[] = [];
  let cur: Pt | null = null;
  let idx = -1;
  for (const p of points) {
    const i = Math.floor(((p.t - t0) / span) * (buckets - 1));
    if (i !== idx) {
      if (cur) out.push(cur);
      cur = { ...p };
      idx = i;
    } else if (cur) {
      cur.rate = Math.max(cur.rate, p.rate);
      cur.lag = Math.max(cur.lag, p.lag);
      cur.t = p.t;
    }
  }
  if (cur) out.push(cur);
  return out;
}

/** Path segments, broken where samples are missing for a while (console down, host away). */
function linePath(points: Pt[], x: (t: number) => number, y: (v: number) => number, pick: (p: Pt) => number): string {
  let d = "";
  let prev: Pt | null = null;
  for (const p of points) {
    d += `${!prev || p.t - prev.t > GAP_MS ? "M" : "L"}${x(p.t).toFixed(1)},${y(pick(p)).toFixed(1)}`;
    prev = p;
  }
  return d;
}

export function MirrorChart({ samples, now }: { samples: ChartSample[]; now: number }) {
  const clipId = useId();
  const [hover, setHover] = useState<Pt | null>(null);
  const all = useMemo(
    () =>
      samples
        .map((s) => ({ t: Date.parse(s.at), rate: Math.max(0, s.rateBytesPerSec), lag: Math.max(0, s.lagBytes) }))
        .filter((p) => Number.isFinite(p.t))
        .sort((a, b) => a.t - b.t),
    [samples],
  );
  const end = Math.max(now, all.length ? all[all.length - 1]!.t : now);
  const start = Math.min(end - MIN_SPAN, Math.max(end - HOUR, all.length ? all[0]!.t : end - HOUR));
  const points = downsample(
    all.filter((p) => p.t >= start),
    W - PAD.l - PAD.r,
  );

  const rateTicks = byteTicks(Math.max(...points.map((p) => p.rate), 0));
  const lagTicks = byteTicks(Math.max(...points.map((p) => p.lag), 0));
  const rateMax = rateTicks[rateTicks.length - 1]!;
  const lagMax = lagTicks[lagTicks.length - 1]!;
  const iw = W - PAD.l - PAD.r;
  const ih = H - PAD.t - PAD.b;
  const x = (t: number) => PAD.l + ((t - start) / (end - start)) * iw;
  const yRate = (v: number) => PAD.t + ih - (v / rateMax) * ih;
  const yLag = (v: number) => PAD.t + ih - (v / lagMax) * ih;

  const span = end - start;
  const stepMs = [10_000, 15_000, 30_000, 60_000, 2 * 60_000, 5 * 60_000, 10 * 60_000, 15 * 60_000].find((s) => span / s <= 6) ?? 15 * 60_000;
  const timeTicks: number[] = [];
  for (let t = Math.ceil(start / stepMs) * stepMs; t <= end; t += stepMs) timeTicks.push(t);

  const ratePath = linePath(points, x, yRate, (p) => p.rate);
  const areaPath = points.length > 1 ? `${ratePath}L${x(points[points.length - 1]!.t).toFixed(1)},${yRate(0)}L${x(points[0]!.t).toFixed(1)},${yRate(0)}Z` : "";
  const lagPath = linePath(points, x, yLag, (p) => p.lag);
  const last = all[all.length - 1];

  const onMove = (ev: React.MouseEvent<SVGSVGElement>) => {
    const box = ev.currentTarget.getBoundingClientRect();
    const px = ((ev.clientX - box.left) / box.width) * W;
    const t = start + ((px - PAD.l) / iw) * (end - start);
    let best: Pt | null = null;
    for (const p of points) if (!best || Math.abs(p.t - t) < Math.abs(best.t - t)) best = p;
    setHover(best && Math.abs(x(best.t) - px) < 40 ? best : null);
  };

  return (
    <div data-testid="mirror-chart" data-points={all.length}>
      <div className="mb-2 flex flex-wrap items-center gap-x-5 gap-y-1 text-xs text-slate-600 dark:text-slate-300">
        <span className="inline-flex items-center gap-1.5">
          <span className="h-0.5 w-4 rounded bg-sky-500" aria-hidden /> Throughput <span className="font-semibold tabular-nums">{formatRate(last?.rate ?? 0)}</span>
        </span>
        <span className="inline-flex items-center gap-1.5">
          <span className="h-0.5 w-4 rounded border-t-2 border-dashed border-amber-500" aria-hidden /> Lag <span className="font-semibold tabular-nums">{formatBytes(last?.lag ?? 0)}</span>
        </span>
        <span className="ml-auto text-slate-500 dark:text-slate-400">{end - start >= HOUR - 1000 ? "last hour" : `since ${clock(start)}`}</span>
      </div>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        className="h-auto w-full select-none"
        role="img"
        aria-label={`Throughput and lag since ${clock(start)}: now ${formatRate(last?.rate ?? 0)}, lag ${formatBytes(last?.lag ?? 0)}`}
        onMouseMove={onMove}
        onMouseLeave={() => setHover(null)}
      >
        <defs>
          <clipPath id={clipId}>
            <rect x={PAD.l} y={PAD.t - 2} width={iw} height={ih + 4} />
          </clipPath>
        </defs>
        {/* grid and axes */}
        {rateTicks.map((v) => (
          <g key={`r${v}`}>
            <line x1={PAD.l} x2={W - PAD.r} y1={yRate(v)} y2={yRate(v)} className="stroke-slate-200 dark:stroke-slate-800" strokeWidth={1} />
            <text x={PAD.l - 8} y={yRate(v)} dy="0.32em" textAnchor="end" className="fill-sky-700 text-[11px] tabular-nums dark:fill-sky-300">
              {v === 0 ? "0" : formatRate(v)}
            </text>
          </g>
        ))}
        {lagTicks.map((v) => (
          <text key={`l${v}`} x={W - PAD.r + 8} y={yLag(v)} dy="0.32em" textAnchor="start" className="fill-amber-700 text-[11px] tabular-nums dark:fill-amber-300">
            {v === 0 ? "0" : formatBytes(v)}
          </text>
        ))}
        <line x1={PAD.l} x2={W - PAD.r} y1={PAD.t + ih} y2={PAD.t + ih} className="stroke-slate-300 dark:stroke-slate-700" strokeWidth={1} />
        {timeTicks.map((t) => (
          <g key={t}>
            <line x1={x(t)} x2={x(t)} y1={PAD.t + ih} y2={PAD.t + ih + 4} className="stroke-slate-400 dark:stroke-slate-600" />
            <text x={x(t)} y={H - PAD.b + 18} textAnchor="middle" className="fill-slate-500 text-[11px] tabular-nums dark:fill-slate-400">
              {stepMs < 60_000 ? clockSec(t) : clock(t)}
            </text>
          </g>
        ))}
        <text x={PAD.l - 8} y={12} textAnchor="end" className="fill-sky-700 text-[11px] font-semibold dark:fill-sky-300">
          throughput
        </text>
        <text x={W - PAD.r + 8} y={12} textAnchor="start" className="fill-amber-700 text-[11px] font-semibold dark:fill-amber-300">
          lag
        </text>
        <text x={PAD.l + iw / 2} y={H - 2} textAnchor="middle" className="fill-slate-400 text-[10px] dark:fill-slate-500">
          time
        </text>

        <g clipPath={`url(#${clipId})`}>
          {areaPath && <path d={areaPath} className="fill-sky-500/10 dark:fill-sky-400/10" />}
          <path d={ratePath} fill="none" className="stroke-sky-500" strokeWidth={2} strokeLinejoin="round" />
          <path d={lagPath} fill="none" className="stroke-amber-500" strokeWidth={2} strokeDasharray="5 3" strokeLinejoin="round" />
          {points.length === 1 && (
            <>
              <circle cx={x(points[0]!.t)} cy={yRate(points[0]!.rate)} r={3} className="fill-sky-500" />
              <circle cx={x(points[0]!.t)} cy={yLag(points[0]!.lag)} r={3} className="fill-amber-500" />
            </>
          )}
        </g>
        {points.length === 0 && (
          <text x={PAD.l + iw / 2} y={PAD.t + ih / 2} textAnchor="middle" className="fill-slate-400 text-[13px]">
            No samples yet: they appear while the mirror job runs.
          </text>
        )}
        {hover && (
          <g pointerEvents="none">
            <line x1={x(hover.t)} x2={x(hover.t)} y1={PAD.t} y2={PAD.t + ih} className="stroke-slate-400 dark:stroke-slate-500" strokeDasharray="2 2" />
            <circle cx={x(hover.t)} cy={yRate(hover.rate)} r={3.5} className="fill-sky-500" />
            <circle cx={x(hover.t)} cy={yLag(hover.lag)} r={3.5} className="fill-amber-500" />
            {(() => {
              const bx = Math.min(Math.max(x(hover.t) + 8, PAD.l), W - PAD.r - 150);
              return (
                <g transform={`translate(${bx} ${PAD.t + 4})`}>
                  <rect width={150} height={52} rx={6} className="fill-white stroke-slate-200 dark:fill-slate-900 dark:stroke-slate-700" />
                  <text x={8} y={16} className="fill-slate-500 text-[11px] dark:fill-slate-400">
                    {clockSec(hover.t)}
                  </text>
                  <text x={8} y={31} className="fill-sky-700 text-[11px] font-semibold dark:fill-sky-300">
                    {formatRate(hover.rate)}
                  </text>
                  <text x={8} y={45} className="fill-amber-700 text-[11px] font-semibold dark:fill-amber-300">
                    lag {formatBytes(hover.lag)}
                  </text>
                </g>
              );
            })()}
          </g>
        )}
      </svg>
    </div>
  );
}
