/** The frame around every screen: top bar, fixed back/cancel row with device strip, overlays. */
import type { DeviceName } from "../../../station/protocol.js";
import { useModels } from "../context.js";
import type { TextKey } from "../i18n.js";
import type { DeviceMap } from "../models/station-model.js";
import { navButtons } from "../screen-rules.js";
import { ReplayButton } from "../voice/replay-button.js";
import { useT } from "./common.js";
import { BackIcon, CrossIcon, SpeakerIcon, SpeakerOffIcon } from "./icons.js";

const DEVICE_ORDER: DeviceName[] = ["cardReader", "bp", "glucose", "printer"];
const STATE_KEYS: Record<string, TextKey> = {
  connected: "deviceConnected",
  disconnected: "deviceDisconnected",
  error: "deviceError",
};

/** `showPrompt` is off while a device problem replaces the screen the prompt was for. */
export function TopBar({ showPrompt }: { showPrompt: boolean }) {
  const { station } = useModels();
  const { lang, tr } = useT();
  const info = station.info.value;
  const prompt = showPrompt ? station.prompt.value : null;
  const muted = station.muted.value;
  return (
    <header class="topbar">
      <div class="topbar-left">
        {info?.simulated ? (
          <span class="demo-banner" data-testid="demo-banner">
            {tr("demoBanner")}
          </span>
        ) : (
          <span class="clinic">{info?.clinicName ?? ""}</span>
        )}
      </div>
      <div class="prompt" aria-live="polite" data-testid="prompt">
        {prompt ? (
          <>
            <SpeakerIcon />
            {prompt[lang]}
          </>
        ) : null}
      </div>
      <ReplayButton available={prompt !== null} />
      <button type="button" class="chip" data-testid="mute" aria-pressed={muted} onClick={station.toggleMute}>
        {muted ? <SpeakerOffIcon /> : <SpeakerIcon />}
        {muted ? tr("unmute") : tr("mute")}
      </button>
      <button type="button" class="chip" data-testid="lang" onClick={station.toggleLang}>
        English / 中文
      </button>
    </header>
  );
}

type Upload = ReturnType<typeof useModels>["station"]["upload"]["value"];

/** Upload state for the doctor: backlog, county link, and records the archive sent back. */
function UploadItem({ upload }: { upload: Upload }) {
  const { tr } = useT();
  if (!upload) return null;
  const rejected = upload.rejected.length;
  const pending = String(upload.pending);
  const [state, text] =
    rejected > 0
      ? ["error", tr("uploadRejected").replace("{n}", String(rejected))]
      : !upload.connected
        ? [
            "disconnected",
            upload.pending > 0
              ? `${tr("uploadOffline")}·${tr("uploadPending").replace("{n}", pending)}`
              : tr("uploadOffline"),
          ]
        : upload.pending > 0
          ? ["connected", tr("uploadPending").replace("{n}", pending)]
          : ["connected", tr("uploadSynced")];
  return (
    <li
      class={`device device-${state}`}
      data-testid="upload-status"
      data-state={state}
      data-pending={upload.pending}
    >
      <span class="dot" aria-hidden="true" />
      {text}
    </li>
  );
}

export function DeviceStrip({ devices }: { devices: DeviceMap }) {
  const { tr } = useT();
  const { station } = useModels();
  return (
    <ul class="devices" data-testid="devices">
      {DEVICE_ORDER.map((name) => {
        const status = devices[name];
        const state = status?.state ?? "unknown";
        const key = STATE_KEYS[state];
        return (
          <li key={name} class={`device device-${state}`} data-device={name} data-state={state}>
            <span class="dot" aria-hidden="true" />
            {tr(`dev${name}` as TextKey)}
            {key && state !== "connected" ? `·${tr(key)}` : ""}
          </li>
        );
      })}
      <UploadItem upload={station.upload.value} />
    </ul>
  );
}

export function BottomBar() {
  const { station, keypad } = useModels();
  const { tr } = useT();
  const local = station.local.value;
  const nav = navButtons(station.view.value, local);
  const back = () => (local ? keypad.close() : void station.send({ type: "back" }));
  const cancel = () => (local ? keypad.close() : void station.send({ type: "cancel" }));
  return (
    <footer class="bottombar">
      <button
        type="button"
        class="btn btn-nav"
        data-testid="back"
        style={{ visibility: nav.back ? "visible" : "hidden" }}
        onClick={back}
      >
        <BackIcon />
        {tr("back")}
      </button>
      <DeviceStrip devices={station.devices.value} />
      <button
        type="button"
        class="btn btn-nav btn-cancel"
        data-testid="cancel"
        style={{ visibility: nav.cancel ? "visible" : "hidden" }}
        onClick={cancel}
      >
        <CrossIcon />
        {tr("cancel")}
      </button>
    </footer>
  );
}

export function ConnectingOverlay() {
  const { tr } = useT();
  return (
    <div class="overlay" role="alertdialog" data-testid="connecting">
      <div class="spinner" aria-hidden="true" />
      <p class="overlay-title">{tr("connecting")}</p>
      <p class="overlay-hint">{tr("connectingHint")}</p>
    </div>
  );
}

export function ActionErrorToast() {
  const { station } = useModels();
  const { tr } = useT();
  const error = station.actionError.value;
  if (!error) return null;
  return (
    <div class="toast" role="alert" data-testid="action-error">
      {tr("actionFailed", { code: error.code })}
    </div>
  );
}
