/** The frame around every screen: top bar, fixed back/cancel row with device strip, overlays. */
import type { DeviceName } from "../../../station/protocol.js";
import { useModels } from "../context.js";
import type { TextKey } from "../i18n.js";
import type { DeviceMap } from "../models/station-model.js";
import { navButtons } from "../screen-rules.js";
import { ReplayButton } from "../voice/replay-button.js";
import { useT } from "./common.js";
import { BackIcon, BellIcon, CrossIcon, SpeakerIcon, SpeakerOffIcon } from "./icons.js";

const DEVICE_ORDER: DeviceName[] = ["cardReader", "bp", "glucose", "printer"];
const STATE_KEYS: Record<string, TextKey> = {
  connected: "deviceConnected",
  disconnected: "deviceDisconnected",
  error: "deviceError",
};

/**
 * Clinic (or demo banner), then 求助 on every screen, sound and language. The spoken prompt is
 * not repeated here: each screen shows the same words in full (a clamped copy got cut off).
 * `helpScreen` names a kiosk-only screen so the help request says where it came from.
 */
export function TopBar({ helpScreen }: { helpScreen?: string }) {
  const { station } = useModels();
  const { tr } = useT();
  const info = station.info.value;
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
      <div class="topbar-gap" />
      <button
        type="button"
        class="chip chip-help"
        data-testid="help"
        onClick={() => station.callHelp(helpScreen)}
      >
        <BellIcon />
        {tr("help")}
      </button>
      <ReplayButton available={station.prompt.value !== null} />
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

/** Help requests waiting for a doctor; the doctor clears them in the console's 求助 tab. */
function HelpItem() {
  const { station } = useModels();
  const { tr } = useT();
  const n = station.helpStatus.value?.waiting.length ?? 0;
  if (n === 0) return null;
  return (
    <li class="device device-error" data-testid="help-waiting" data-count={n}>
      <span class="dot" aria-hidden="true" />
      {tr("helpWaiting", { n })}
    </li>
  );
}

/** For the doctor: the data disk is below its reserve, so no new check-up can start. */
function DiskItem() {
  const { station } = useModels();
  const { tr } = useT();
  const d = station.disk.value;
  if (!d?.low) return null;
  return (
    <li class="device device-error" data-testid="disk-low" data-free-mb={d.freeMb}>
      <span class="dot" aria-hidden="true" />
      {tr("diskLow", { free: d.freeMb })}
    </li>
  );
}

/**
 * For the doctor: one "设备正常" while all is well; otherwise each device with a problem and what
 * to check. Every device keeps a (hidden when fine) item so tests and tools can read its state.
 */
export function DeviceStrip({ devices }: { devices: DeviceMap }) {
  const { lang, tr } = useT();
  const { station } = useModels();
  const problems = DEVICE_ORDER.filter((n) => devices[n] && devices[n]?.state !== "connected");
  return (
    <ul class="devices" data-testid="devices">
      {DEVICE_ORDER.map((name) => {
        const status = devices[name];
        const state = status?.state ?? "unknown";
        const key = STATE_KEYS[state];
        const bad = problems.includes(name);
        return (
          <li key={name} class={`device device-${state}`} data-device={name} data-state={state} hidden={!bad}>
            <span class="dot" aria-hidden="true" />
            {tr(`dev${name}` as TextKey)}
            {key ? (lang === "zh" ? `${tr(key)}：` : ` ${tr(key)}: `) + tr(`check_${name}` as TextKey) : ""}
          </li>
        );
      })}
      {problems.length === 0 ? (
        <li class="device device-connected" data-testid="devices-ok">
          <span class="dot" aria-hidden="true" />
          {tr("devicesOk")}
        </li>
      ) : null}
      <UploadItem upload={station.upload.value} />
      <HelpItem />
      <DiskItem />
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
