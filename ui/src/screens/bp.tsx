/** Blood pressure: get ready, measuring, rest before a repeat, fault, done. */
import { useEffect, useState } from "preact/hooks";
import type { BpView, FaultView } from "../../../station/protocol.js";
import { Button, NoticeBox, Screen, useT } from "../components/common.js";
import { CuffPicture } from "../components/illustrations.js";
import { useModels } from "../context.js";
import { formatBp, secondsLeft } from "../format.js";

export interface BpScreenProps {
  phase: "ready" | "measuring" | "rest" | "fault" | "done";
  readings: BpView[];
  restUntil: string | null;
  fault: FaultView | null;
  repeat: boolean;
  promptKey?: string | undefined;
}

function useSecondsLeft(until: string | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!until) return;
    // This component stays mounted across phases, so take a fresh reading of the clock now.
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [until]);
  return secondsLeft(until, now);
}

export function ReadingCard({ reading, index, count }: { reading: BpView; index: number; count: number }) {
  const { tr } = useT();
  return (
    <div class="reading" data-testid="bp-reading">
      {count > 1 ? <div class="reading-label">{tr("reading", { n: index + 1 })}</div> : null}
      <div class="reading-value">
        {formatBp(reading.systolic, reading.diastolic)}
        <span class="unit"> {reading.unit}</span>
      </div>
      {reading.pulse != null ? (
        <div class="reading-pulse">{tr("pulse", { n: Math.round(reading.pulse) })}</div>
      ) : null}
    </div>
  );
}

function Readings({ readings }: { readings: BpView[] }) {
  return (
    <div class="readings">
      {readings.map((r, i) => (
        <ReadingCard
          key={`${i}-${r.systolic}-${r.diastolic}`}
          reading={r}
          index={i}
          count={readings.length}
        />
      ))}
    </div>
  );
}

export function BpScreen({ phase, readings, restUntil, fault, repeat, promptKey }: BpScreenProps) {
  const { station } = useModels();
  const veryHigh = promptKey === "bp-repeat-very-high";
  const { lang, tr } = useT();
  const left = useSecondsLeft(phase === "rest" ? restUntil : null);
  const send = (type: "retry" | "skip" | "next") => () => void station.send({ type });
  switch (phase) {
    case "ready":
    case "measuring":
      return (
        <Screen
          name={`bp-${phase}`}
          title={repeat ? `${tr("bpTitle")} · ${tr("reading", { n: readings.length + 1 })}` : tr("bpTitle")}
        >
          <div class="with-picture">
            <CuffPicture />
            <p class={phase === "measuring" ? "big pulse-text" : "big"}>
              {tr(phase === "measuring" ? "bpMeasuring" : repeat ? "bpReadyRepeat" : "bpReady")}
            </p>
          </div>
        </Screen>
      );
    case "rest":
      return (
        <Screen
          name="bp-rest"
          title={tr("bpTitle")}
          actions={
            <Button label={tr("skipRepeat")} variant="secondary" testId="skip" onPress={send("skip")} />
          }
        >
          <div class="side-by-side">
            <div>
              {/* Same choice as the spoken prompt (station/workflow/prompt.ts): very high says so. */}
              <p class="big">{tr(veryHigh ? "bpRestVeryHigh" : "bpRest")}</p>
              <p class="countdown" data-testid="countdown">
                {left > 0 ? tr("bpRestCountdown", { s: left }) : tr("bpRestReady")}
              </p>
            </div>
            <Readings readings={readings} />
          </div>
        </Screen>
      );
    case "fault":
      return (
        <Screen
          name="bp-fault"
          title={tr("bpTitle")}
          actions={<Button label={tr("retry")} testId="retry" wide onPress={send("retry")} />}
        >
          {fault ? <NoticeBox text={fault.message[lang]} testId="fault" /> : null}
          <Readings readings={readings} />
        </Screen>
      );
    case "done":
      return (
        <Screen
          name="bp-done"
          title={tr("bpTitle")}
          actions={
            <>
              <Button label={tr("remeasure")} variant="secondary" testId="retry" onPress={send("retry")} />
              <Button label={tr("next")} testId="next" wide onPress={send("next")} />
            </>
          }
        >
          <p class="big" data-testid="bp-done-text">
            {tr("bpDone")}
          </p>
          <Readings readings={readings} />
        </Screen>
      );
  }
}
