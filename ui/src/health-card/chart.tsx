/**
 * The trend chart, hand-written SVG (no chart library: the kiosk's JS budget is 100 KB gzipped).
 * The viewBox is the box's own size in CSS pixels, so chart text is as big as the page's text.
 */
import type { ComponentChildren } from "preact";
import { useLayoutEffect, useRef, useState } from "preact/hooks";
import type { Band, BpPoint, GlucosePoint } from "../../../station/health-card/types.js";

const PAD = { left: 56, right: 16, top: 12, bottom: 34 };
const DAY = 86_400_000;

/** Measures its box and renders the chart at that size (one chart is on screen at a time). */
export function Sized({ children }: { children: (w: number, h: number) => ComponentChildren }) {
  const ref = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState<{ w: number; h: number } | null>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setSize({ w: el.clientWidth, h: el.clientHeight });
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return (
    <div ref={ref} class="hc-sized">
      {size && size.w > 0 && size.h > 0 ? children(size.w, size.h) : null}
    </div>
  );
}

export interface Scale {
  w: number;
  h: number;
  x(date: string): number;
  y(v: number): number;
}

export function makeScale(from: string, to: string, lo: number, hi: number, w: number, h: number): Scale {
  const t0 = Date.parse(from);
  const span = Math.max(DAY, Date.parse(to) - t0);
  const iw = w - PAD.left - PAD.right;
  const ih = h - PAD.top - PAD.bottom;
  return {
    w,
    h,
    x: (d) => PAD.left + ((Date.parse(d) - t0) / span) * iw,
    y: (v) => PAD.top + (1 - (Math.min(hi, Math.max(lo, v)) - lo) / (hi - lo)) * ih,
  };
}

function Frame(props: { s: Scale; ticks: number[]; from: string; to: string }) {
  const { s, ticks, from, to } = props;
  return (
    <g class="hc-axis">
      {ticks.map((v) => (
        <g key={v}>
          <line x1={PAD.left} x2={s.w - PAD.right} y1={s.y(v)} y2={s.y(v)} class="hc-grid" />
          <text x={PAD.left - 6} y={s.y(v) + 7} text-anchor="end">
            {v}
          </text>
        </g>
      ))}
      <text x={PAD.left} y={s.h - 6}>
        {from}
      </text>
      <text x={s.w - PAD.right} y={s.h - 6} text-anchor="end">
        {to}
      </text>
    </g>
  );
}

function BandRect({ s, band, cls }: { s: Scale; band: Band; cls: string }) {
  return (
    <rect
      class={cls}
      x={PAD.left}
      width={s.w - PAD.left - PAD.right}
      y={s.y(band.high)}
      height={Math.max(0, s.y(band.low) - s.y(band.high))}
    />
  );
}

function Cross({ x, y }: { x: number; y: number }) {
  return (
    <path
      class="hc-rejected"
      d={`M${x - 9},${y - 9}L${x + 9},${y + 9}M${x - 9},${y + 9}L${x + 9},${y - 9}`}
    />
  );
}

export function BpChart(props: {
  points: BpPoint[];
  from: string;
  to: string;
  sys: Band;
  dia: Band;
  label: string;
  w: number;
  h: number;
}) {
  const { points, from, to } = props;
  const s = makeScale(from, to, 50, 200, props.w, props.h);
  const line = (key: "systolic" | "diastolic") =>
    points.map((p) => `${s.x(p.date)},${s.y(p[key])}`).join(" ");
  return (
    <svg
      class="hc-chart"
      viewBox={`0 0 ${s.w} ${s.h}`}
      role="img"
      aria-label={props.label}
      data-testid="hc-chart"
      data-points={points.length}
    >
      <BandRect s={s} band={props.sys} cls="hc-band" />
      <BandRect s={s} band={props.dia} cls="hc-band" />
      <Frame s={s} ticks={[60, 100, 140, 180]} from={from} to={to} />
      <polyline class="hc-line hc-sys" points={line("systolic")} />
      <polyline class="hc-line hc-dia" points={line("diastolic")} />
      {points.map((p) => (
        <g key={`${p.date}-${p.systolic}`}>
          <circle class="hc-dot hc-sys" cx={s.x(p.date)} cy={s.y(p.systolic)} r={7} />
          <circle class="hc-dot hc-dia" cx={s.x(p.date)} cy={s.y(p.diastolic)} r={7} />
          {p.rejected ? <Cross x={s.x(p.date)} y={s.y(p.systolic) - 16} /> : null}
        </g>
      ))}
    </svg>
  );
}

export function GlucoseChart(props: {
  points: GlucosePoint[];
  from: string;
  to: string;
  bands: Record<string, Band>;
  label: string;
  w: number;
  h: number;
}) {
  const { points, from, to, bands } = props;
  const s = makeScale(from, to, 2, 20, props.w, props.h);
  const fasting = bands.fasting;
  const other = bands.random;
  return (
    <svg
      class="hc-chart"
      viewBox={`0 0 ${s.w} ${s.h}`}
      role="img"
      aria-label={props.label}
      data-testid="hc-chart"
      data-points={points.length}
    >
      {fasting ? <BandRect s={s} band={fasting} cls="hc-band" /> : null}
      {other ? (
        <line
          class="hc-band-edge"
          x1={PAD.left}
          x2={s.w - PAD.right}
          y1={s.y(other.high)}
          y2={s.y(other.high)}
        />
      ) : null}
      <Frame s={s} ticks={[7, 10, 15, 20]} from={from} to={to} />
      {points.map((p) => {
        const x = s.x(p.date);
        const y = s.y(p.mmolL);
        return (
          <g key={`${p.date}-${p.mmolL}`} data-sample={p.sampleType}>
            {p.sampleType === "fasting" ? (
              <circle class="hc-dot hc-glu" cx={x} cy={y} r={8} />
            ) : (
              <rect class="hc-dot hc-glu-other" x={x - 7} y={y - 7} width={14} height={14} />
            )}
            {p.rejected ? <Cross x={x} y={y - 18} /> : null}
          </g>
        );
      })}
    </svg>
  );
}
