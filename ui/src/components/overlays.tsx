/** Layers over any screen: "已通知医生" after a help press, and "还在吗？" before the session ends. */
import { useEffect, useState } from "preact/hooks";
import { useModels } from "../context.js";
import { secondsLeft } from "../format.js";
import { HELP_SHOWN_MS } from "../models/station-model.js";
import { Button, useT } from "./common.js";
import { BellIcon } from "./icons.js";

export function HelpOverlay() {
  const { station } = useModels();
  const { tr } = useT();
  const shownAt = station.helpShownAt.value;
  useEffect(() => {
    if (shownAt === null) return;
    const timer = setTimeout(station.dismissHelp, HELP_SHOWN_MS);
    return () => clearTimeout(timer);
  }, [shownAt, station]);
  if (shownAt === null) return null;
  return (
    <div class="layer layer-help" role="alertdialog" data-testid="help-called">
      <p class="layer-title">
        <BellIcon /> {tr("helpCalled")}
      </p>
      <p class="layer-hint">{tr("helpCalledHint")}</p>
      <Button label={tr("ok")} testId="help-ok" wide onPress={station.dismissHelp} />
    </div>
  );
}

function useSecondsLeft(until: string): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [until]);
  return secondsLeft(until, now);
}

function IdleCountdown({ until }: { until: string }) {
  const { station } = useModels();
  const { tr } = useT();
  const left = useSecondsLeft(until);
  return (
    <div class="layer layer-idle" role="alertdialog" data-testid="still-there">
      <p class="layer-title">{tr("stillThere")}</p>
      <p class="layer-hint">{tr("stillThereHint")}</p>
      <p class="layer-count" data-testid="idle-countdown">
        {tr("stillThereCountdown", { s: left })}
      </p>
      {/* The touch itself keeps the session; this button just gives a finger somewhere to go. */}
      <Button label={tr("imHere")} testId="im-here" wide onPress={station.touch} />
    </div>
  );
}

export function IdleOverlay() {
  const { station } = useModels();
  const until = station.view.value?.idle?.until;
  return until ? <IdleCountdown until={until} /> : null;
}
