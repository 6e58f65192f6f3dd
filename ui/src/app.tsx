/** Picks the screen for the current state; the frame stays the same around it. */
import { useEffect, useRef } from "preact/hooks";
import type { DeviceName, ViewState } from "../../station/protocol.js";
import { Button, Screen, useT } from "./components/common.js";
import { WarningIcon } from "./components/icons.js";
import { HelpOverlay, IdleOverlay } from "./components/overlays.js";
import { ActionErrorToast, BottomBar, ConnectingOverlay, TopBar } from "./components/shell.js";
import { useModels } from "./context.js";
import { DoctorBar } from "./doctor/bar.js";
import { DoctorStage } from "./doctor/stage.js";
import { HealthCardScreen } from "./health-card/screen.js";
import type { TextKey } from "./i18n.js";
import { t } from "./i18n.js";
import type { LocalScreen } from "./models/station-model.js";
import { missingDevice } from "./screen-rules.js";
import { AttractScreen } from "./screens/attract.js";
import { BpScreen } from "./screens/bp.js";
import { GlucoseScreen } from "./screens/glucose.js";
import { ConsentScreen, IdentifiedScreen } from "./screens/identify.js";
import { KeypadScreen } from "./screens/keypad.js";
import { ResultScreen } from "./screens/result.js";
import { SavingScreen } from "./screens/saving.js";
import { shownVoice } from "./voice-key.js";

function DeviceMissingScreen({ device }: { device: DeviceName }) {
  const { station, doctor } = useModels();
  const { tr } = useT();
  const manual = device === "cardReader" && station.view.value?.step === "attract";
  // The station does not know the kiosk replaced its screen, so the kiosk says this one itself.
  useEffect(() => {
    const text = (lang: "zh" | "en") =>
      t(lang, "deviceMissing", { device: t(lang, `dev${device}` as TextKey) });
    station.sayLocal(`device-problem-${device}`, { zh: text("zh"), en: text("en") });
  }, [device, station]);
  return (
    <Screen
      name="device-missing"
      tone="warning"
      actions={
        manual ? (
          <Button
            label={tr("manualEntry")}
            variant="quiet"
            testId="manual-entry"
            onPress={() => void doctor.enter()}
          />
        ) : null
      }
    >
      <p class="huge warning-text" data-testid="device-missing" data-device={device}>
        <WarningIcon /> {tr("deviceMissing", { device: tr(`dev${device}` as TextKey) })}
      </p>
    </Screen>
  );
}

function CurrentScreen({ view, local }: { view: ViewState | null; local: LocalScreen }) {
  if (local === "keypad") return <KeypadScreen />;
  if (!view) return null;
  switch (view.step) {
    case "attract":
      return <AttractScreen notice={view.notice} />;
    case "identified":
      return <IdentifiedScreen person={view.person} notice={view.notice} />;
    case "consent":
      return <ConsentScreen />;
    case "bp":
      return <BpScreen {...view} promptKey={view.prompt?.key} />;
    case "glucose":
      return <GlucoseScreen phase={view.phase} skippable={view.skippable} fault={view.fault} />;
    case "saving":
      return <SavingScreen error={view.error} />;
    case "result":
      return (
        <ResultScreen
          person={view.person}
          result={view.result}
          print={view.print}
          printFault={view.printFault}
        />
      );
    case "health-card":
      return <HealthCardScreen {...view} />;
  }
}

export function App() {
  const { station, doctor } = useModels();
  const view = station.view.value;
  const local = station.local.value;
  const missing = missingDevice(view, local, station.devices.value);
  const error = station.actionError.value;
  const voice = shownVoice(view, local, missing, station.helpShownAt.value !== null);
  // When a missing device is back, say again what the screen now asks (the station said it
  // before the kiosk covered it, and the villager heard the device message since).
  const wasMissing = useRef<DeviceName | null>(null);
  useEffect(() => {
    const prompt = view?.prompt;
    if (wasMissing.current && !missing && prompt) station.sayLocal(prompt.key, prompt.text);
    wasMissing.current = missing;
  }, [missing, view, station]);
  useEffect(() => {
    if (!error) return;
    const timer = setTimeout(station.dismissError, 6_000);
    return () => clearTimeout(timer);
  }, [error, station]);
  return (
    <div
      class="kiosk"
      lang={station.lang.value === "zh" ? "zh-CN" : "en"}
      onPointerDownCapture={() => {
        station.touch();
        doctor.touch();
      }}
      data-voice-key={voice?.key ?? ""}
      data-voice-params={voice ? JSON.stringify(voice.params) : ""}
      data-spoken-key={station.spokenKey.value ?? ""}
    >
      <TopBar helpScreen={missing ? "device-missing" : (local ?? undefined)} />
      <DoctorBar />
      <main class="stage" data-step={view?.step ?? "none"} data-doctor={doctor.screen.value ?? ""}>
        {doctor.screen.value ? (
          <DoctorStage />
        ) : missing ? (
          <DeviceMissingScreen device={missing} />
        ) : (
          <CurrentScreen view={view} local={local} />
        )}
        {/* Over the screen only: help, sound and language stay in reach above, back/cancel below. */}
        <IdleOverlay />
        <HelpOverlay />
      </main>
      <BottomBar />
      <ActionErrorToast />
      {station.connection.value !== "open" ? <ConnectingOverlay /> : null}
    </div>
  );
}
