/** The content of one health-card page. Words carry every verdict; colour only repeats it. */
import { useState } from "preact/hooks";
import type { HealthCard, Trend } from "../../../station/health-card/types.js";
import { formatIsoDate } from "../format.js";
import { categoryLabel, sampleTypeLabel } from "../labels.js";
import { BpChart, GlucoseChart, Sized } from "./chart.js";
import type { Page } from "./pages.js";
import { type HcKey, useHc } from "./text.js";

const TREND_ICON: Record<Trend, string> = {
  better: "▼",
  same: "＝",
  worse: "▲",
  none: "",
  "not-comparable": "",
};

function TrendLine({ trend }: { trend: Trend }) {
  const { ht } = useHc();
  return (
    <p class={`hc-trend hc-trend-${trend}`} data-testid="hc-trend" data-trend={trend}>
      {TREND_ICON[trend] ? <span aria-hidden="true">{TREND_ICON[trend]} </span> : null}
      {ht(`trend-${trend}` as HcKey)}
    </p>
  );
}

function Tags({ card }: { card: HealthCard }) {
  const { lang, ht } = useHc();
  return (
    <div>
      <h2 class="hc-h2">{ht("tagsTitle")}</h2>
      <ul class="hc-tags" data-testid="hc-tags">
        {card.tags.length ? (
          card.tags.map((t) => <li key={t}>{categoryLabel(t, lang)}</li>)
        ) : (
          <li>{ht("tagsNone")}</li>
        )}
      </ul>
      <p class="hc-line">{card.visitCount ? ht("visits", { n: card.visitCount }) : ht("visitsNone")}</p>
      {card.rejectedCount ? (
        <p class="hc-line hc-warn">✕ {ht("rejected", { n: card.rejectedCount })}</p>
      ) : null}
    </div>
  );
}

function Latest({ card }: { card: HealthCard }) {
  const { lang, ht } = useHc();
  const { bp, glucose } = card.latest;
  const d = (iso: string) => formatIsoDate(iso, lang);
  return (
    <div>
      <h2 class="hc-h2">{ht("latestTitle")}</h2>
      <div class="hc-latest" data-testid="hc-latest-bp">
        <span class="hc-k">{ht("bp")}</span>
        {bp ? (
          <div>
            <p class="hc-value">
              {bp.now.systolic}/{bp.now.diastolic} <small>mmHg · {d(bp.now.date)}</small>
            </p>
            <TrendLine trend={bp.trend} />
            {bp.before ? (
              <p class="hc-line">
                {ht("lastTime", {
                  value: `${bp.before.systolic}/${bp.before.diastolic}`,
                  date: d(bp.before.date),
                })}
              </p>
            ) : null}
          </div>
        ) : (
          <p class="hc-line">{ht("noneYet")}</p>
        )}
      </div>
      <div class="hc-latest" data-testid="hc-latest-glucose">
        <span class="hc-k">{ht("glucose")}</span>
        {glucose ? (
          <div>
            <p class="hc-value">
              {glucose.now.mmolL.toFixed(1)}{" "}
              <small>
                mmol/L · {sampleTypeLabel(glucose.now.sampleType, lang)} · {d(glucose.now.date)}
              </small>
            </p>
            <TrendLine trend={glucose.trend} />
            {glucose.before ? (
              <p class="hc-line">
                {ht("lastTime", {
                  value: `${glucose.before.mmolL.toFixed(1)} ${sampleTypeLabel(glucose.before.sampleType, lang)}`,
                  date: d(glucose.before.date),
                })}
              </p>
            ) : null}
          </div>
        ) : (
          <p class="hc-line">{ht("noneYet")}</p>
        )}
      </div>
    </div>
  );
}

/** "last12" or a calendar year; every year with a visit is reachable. */
function usePeriod(card: HealthCard) {
  const periods: Array<"last12" | number> = ["last12", ...[...card.series.years].reverse()];
  const [i, setI] = useState(0);
  const p = periods[Math.min(i, periods.length - 1)]!;
  const range =
    p === "last12"
      ? { from: card.series.defaultFrom, to: card.series.to }
      : { from: `${p}-01-01`, to: `${p}-12-31` };
  return {
    p,
    range,
    older: i < periods.length - 1 ? () => setI(i + 1) : null,
    newer: i > 0 ? () => setI(i - 1) : null,
  };
}

function PeriodNav(props: { label: string; older: (() => void) | null; newer: (() => void) | null }) {
  const { ht } = useHc();
  return (
    <div class="hc-period">
      <button
        type="button"
        class="btn btn-secondary hc-small"
        data-testid="hc-older"
        disabled={!props.older}
        onClick={() => props.older?.()}
      >
        {ht("olderYear")}
      </button>
      <span class="hc-period-label" data-testid="hc-period">
        {props.label}
      </span>
      <button
        type="button"
        class="btn btn-secondary hc-small"
        data-testid="hc-newer"
        disabled={!props.newer}
        onClick={() => props.newer?.()}
      >
        {ht("newerYear")}
      </button>
    </div>
  );
}

function Chart({ card, kind }: { card: HealthCard; kind: "bp" | "glucose" }) {
  const { ht } = useHc();
  const { p, range, older, newer } = usePeriod(card);
  const inRange = <T extends { date: string }>(xs: T[]) =>
    xs.filter((x) => x.date >= range.from && x.date <= range.to);
  const label = p === "last12" ? ht("last12") : ht("yearLabel", { year: p });
  const b = card.series.bands;
  const bpPts = inRange(card.series.bp);
  const gluPts = inRange(card.series.glucose);
  const empty = (kind === "bp" ? bpPts : gluPts).length === 0;
  return (
    <div class="hc-chart-page">
      <div class="hc-chart-head">
        <h2 class="hc-h2">{kind === "bp" ? ht("chartBpTitle") : ht("chartGluTitle")}</h2>
        <PeriodNav label={label} older={older} newer={newer} />
      </div>
      <div class="hc-chart-box">
        {kind === "bp" ? (
          <Sized>
            {(w, h) => (
              <BpChart
                points={bpPts}
                from={range.from}
                to={range.to}
                sys={b.systolic}
                dia={b.diastolic}
                label={`${ht("chartBpTitle")} · ${label}`}
                w={w}
                h={h}
              />
            )}
          </Sized>
        ) : (
          <Sized>
            {(w, h) => (
              <GlucoseChart
                points={gluPts}
                from={range.from}
                to={range.to}
                bands={b.glucose}
                label={`${ht("chartGluTitle")} · ${label}`}
                w={w}
                h={h}
              />
            )}
          </Sized>
        )}
        {empty ? <p class="hc-empty">{ht("noPoints")}</p> : null}
      </div>
      <p class="hc-legend">
        {kind === "bp" ? (
          <>
            <span class="hc-key-sys">● {ht("systolic")}</span>{" "}
            <span class="hc-key-dia">● {ht("diastolic")}</span>
          </>
        ) : (
          <>
            <span class="hc-key-glu">{ht("fasting")}</span>{" "}
            <span class="hc-key-glu-other">{ht("nonFasting")}</span>
          </>
        )}{" "}
        <span class="hc-key-band">{ht("target")}</span>{" "}
        {card.rejectedCount ? <span class="hc-key-rej">{ht("rejectedMark")}</span> : null}
      </p>
    </div>
  );
}

function Due({ card }: { card: HealthCard }) {
  const { lang, ht } = useHc();
  return (
    <div>
      <h2 class="hc-h2">{ht("dueTitle")}</h2>
      {card.due.length === 0 ? <p class="hc-line">{ht("nothingDue")}</p> : null}
      <ul class="hc-due" data-testid="hc-due">
        {card.due.map((d) => (
          <li key={d.kind} class={`hc-due-${d.status}`} data-status={d.status}>
            <span class="hc-k">
              {d.status === "overdue" ? "⚠ " : ""}
              {ht(`due-${d.kind}` as HcKey)}
            </span>
            <span>
              {d.status === "overdue"
                ? ht("overdueDays", { n: d.daysOverdue })
                : d.daysLeft === 0
                  ? ht("dueToday")
                  : ht("dueIn", { n: d.daysLeft, date: formatIsoDate(d.dueDate, lang) })}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function Doctor({ card }: { card: HealthCard }) {
  const { ht } = useHc();
  return (
    <div>
      <h2 class="hc-h2">{ht("doctorTitle")}</h2>
      {card.doctor ? (
        <>
          <p class="hc-value" data-testid="hc-doctor">
            {card.doctor.name}
          </p>
          <p class="hc-value">{ht("callDoctor", { phone: card.doctor.phone })}</p>
        </>
      ) : (
        <p class="hc-line">{ht("noDoctor")}</p>
      )}
      <p class="hc-line">{ht("stationDoctor")}</p>
    </div>
  );
}

export function PageBody({ page, card }: { page: Page; card: HealthCard }) {
  const { ht } = useHc();
  switch (page.kind) {
    case "tags":
      return <Tags card={card} />;
    case "latest":
      return <Latest card={card} />;
    case "chart-bp":
      return <Chart key="bp" card={card} kind="bp" />;
    case "chart-glucose":
      return <Chart key="glucose" card={card} kind="glucose" />;
    case "due":
      return <Due card={card} />;
    case "doctor":
      return <Doctor card={card} />;
    case "entitlements":
      return (
        <div>
          <h2 class="hc-h2">{ht("entTitle")}</h2>
          <ul class="hc-ent">
            {page.lines.map((l) => (
              <li key={l}>{l}</li>
            ))}
          </ul>
        </div>
      );
  }
}
