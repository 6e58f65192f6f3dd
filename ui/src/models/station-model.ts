/**
 * Kiosk state as signals, fed by the station client, plus the actions a screen may take.
 * Components read these signals and call these actions; they never talk to the client.
 */
import { batch, computed, type ReadonlySignal, signal } from "@preact/signals-core";
import type {
  DeviceName,
  DeviceStatusView,
  HelpStatusView,
  ServerMessage,
  StationInfoView,
  TextView,
  TopicMap,
  UiAction,
  ViewState,
  VoiceParam,
  VoiceView,
} from "../../../station/protocol.js";
import type { ConnectionState, StationClient } from "../client/station-client.js";
import type { Lang } from "../i18n.js";

/** Which prompt is spoken, so a speaker can play its recorded clips (ui/src/voice). */
export interface SpokenPrompt {
  key: string;
  params?: Record<string, VoiceParam>;
}

/** Speaks a prompt: recorded clips, else speechSynthesis (ui/src/voice/player.ts); tests record. */
export interface Speaker {
  speak(text: string, lang: Lang, prompt?: SpokenPrompt): void;
  cancel(): void;
}

export interface ModelDeps {
  speaker?: Speaker;
  /** Wall clock in ms; injectable so tests control throttling and voice freshness. */
  now?: () => number;
}

export type DeviceMap = Partial<Record<DeviceName, DeviceStatusView>>;
export type LocalScreen = "keypad" | null;

export const TOUCH_INTERVAL_MS = 5_000;
/** A replayed voice message older than this is shown but not spoken again. */
export const VOICE_FRESH_MS = 15_000;
/** "已通知医生" stays up this long unless tapped away. */
export const HELP_SHOWN_MS = 12_000;

/** Step plus phase: a change means a different screen. */
export function screenKey(v: ViewState): string {
  return "phase" in v ? `${v.step}:${v.phase}` : v.step;
}

export function createStationModel(client: StationClient, deps: ModelDeps = {}) {
  const now = deps.now ?? Date.now;
  const speaker = deps.speaker;

  const view = signal<ViewState | null>(null);
  const devices = signal<DeviceMap>({});
  const info = signal<StationInfoView | null>(null);
  const upload = signal<TopicMap["upload/status"] | null>(null);
  const connection = signal<ConnectionState>("connecting");
  const lang = signal<Lang>("zh");
  const muted = signal(false);
  /** The last voice prompt, shown on screen too (for those who cannot hear it). */
  const prompt = signal<TextView | null>(null);
  /** Last failed action, shown briefly; cleared by the next successful one. */
  const actionError = signal<{ code: string } | null>(null);
  /** A UI-only screen over the attract screen (the doctor's keypad). */
  const local = signal<LocalScreen>(null);
  const step = computed(() => view.value?.step ?? null);
  /** Help requests waiting for a doctor (status strip). */
  const helpStatus = signal<HelpStatusView | null>(null);
  /** The data disk against its reserve (status strip). */
  const disk = signal<TopicMap["disk/status"] | null>(null);
  /** When "已通知医生" was shown (screen button, or the physical one via the station's voice). */
  const helpShownAt = signal<number | null>(null);
  /** Key of the last prompt announced (station voice or a kiosk-local one); must match the screen's. */
  const spokenKey = signal<string | null>(null);

  let lastTouch = Number.NEGATIVE_INFINITY;
  const spoken = new Set<string>();
  /** The prompt behind `prompt`, for replay and language changes. */
  let lastVoice: VoiceView | null = null;

  function speak(voice: VoiceView, force = false): void {
    if (!speaker || (muted.value && !force)) return;
    speaker.cancel();
    const params = voice.params ? { params: voice.params } : {};
    speaker.speak(voice.text[lang.value], lang.value, { key: voice.key, ...params });
  }

  function applyView(next: ViewState): void {
    const previous = view.value;
    batch(() => {
      if (next.step !== "attract") local.value = null;
      // The station announces after it publishes a state, so a prompt from the previous screen
      // is dropped here and the new screen's prompt (if any) follows.
      if (previous && screenKey(previous) !== screenKey(next)) {
        prompt.value = null;
        lastVoice = null;
        // A prompt still playing belongs to the screen that has gone.
        speaker?.cancel();
      }
      if (next.step === "attract" && previous && previous.step !== "attract") {
        // The person has gone: drop everything shown for them, and start the next one in Chinese.
        prompt.value = null;
        actionError.value = null;
        lang.value = "zh";
        // Sound off was the last person's choice; the next one starts with sound.
        muted.value = false;
        speaker?.cancel();
      }
      view.value = next;
    });
  }

  function applyVoice(voice: VoiceView): void {
    // The physical help button is answered on screen too.
    if (voice.key === "help-called" && helpShownAt.value === null) helpShownAt.value = now();
    spokenKey.value = voice.key;
    prompt.value = voice.text;
    lastVoice = voice;
    const id = `${voice.key}|${voice.at}`;
    if (spoken.has(id)) return;
    spoken.add(id);
    if (spoken.size > 50) spoken.delete(spoken.values().next().value as string);
    const at = Date.parse(voice.at);
    if (!Number.isNaN(at) && now() - at > VOICE_FRESH_MS) return;
    speak(voice);
  }

  function handle(message: ServerMessage): void {
    switch (message.topic) {
      case "workflow/state":
        applyView(message.payload);
        break;
      case "devices/status":
        devices.value = message.payload;
        break;
      case "station/info":
        info.value = message.payload;
        break;
      case "upload/status":
        upload.value = message.payload;
        break;
      case "help/status":
        helpStatus.value = message.payload;
        break;
      case "disk/status":
        disk.value = message.payload;
        break;
      case "voice":
        applyVoice(message.payload);
        break;
      case "error":
        // Errors for our own transactions surface through send(); others are logged only.
        break;
      case "ack":
        break;
    }
  }

  const unsubscribers = [
    client.onMessage(handle),
    client.onConnection((state) => {
      connection.value = state;
    }),
  ];

  async function send(action: UiAction): Promise<boolean> {
    try {
      await client.send(action);
      if (action.type !== "touch") actionError.value = null;
      return true;
    } catch (err) {
      if (action.type !== "touch") {
        const code = (err as { code?: unknown }).code;
        actionError.value = { code: typeof code === "string" ? code : "unknown" };
      }
      return false;
    }
  }

  /** Any touch keeps the server session alive; at most one message per TOUCH_INTERVAL_MS. */
  function touch(): void {
    if (connection.value !== "open") return;
    const t = now();
    // While "还在吗？" is up every touch counts: it is what keeps the session.
    if (t - lastTouch < TOUCH_INTERVAL_MS && !view.value?.idle) return;
    lastTouch = t;
    void send({ type: "touch" });
  }

  function toggleLang(): void {
    lang.value = lang.value === "zh" ? "en" : "zh";
    if (lastVoice) speak(lastVoice);
  }

  /** "再听一遍": speaks the current screen's prompt again, even with sound off (they asked). */
  function replay(): void {
    if (lastVoice) speak(lastVoice, true);
  }

  function toggleMute(): void {
    muted.value = !muted.value;
    if (muted.value) speaker?.cancel();
  }

  function openKeypad(): void {
    if (view.value?.step === "attract") local.value = "keypad";
  }

  function closeKeypad(): void {
    local.value = null;
  }

  /** The help button: "已通知医生" at once, before the station answers. */
  function callHelp(screen?: string): void {
    helpShownAt.value = now();
    void send(screen ? { type: "help", screen } : { type: "help" });
  }

  function dismissHelp(): void {
    helpShownAt.value = null;
  }

  /** A prompt the kiosk decides itself (a device problem it sees on the strip). */
  function sayLocal(key: string, text: TextView, params?: VoiceView["params"]): void {
    const voice: VoiceView = { key, text, at: new Date(now()).toISOString(), ...(params ? { params } : {}) };
    spokenKey.value = key;
    prompt.value = text;
    lastVoice = voice;
    speak(voice);
  }

  function dismissError(): void {
    actionError.value = null;
  }

  function dispose(): void {
    for (const off of unsubscribers) off();
    speaker?.cancel();
  }

  return {
    view: view as ReadonlySignal<ViewState | null>,
    devices: devices as ReadonlySignal<DeviceMap>,
    info: info as ReadonlySignal<StationInfoView | null>,
    upload: upload as ReadonlySignal<TopicMap["upload/status"] | null>,
    connection: connection as ReadonlySignal<ConnectionState>,
    lang: lang as ReadonlySignal<Lang>,
    muted: muted as ReadonlySignal<boolean>,
    prompt: prompt as ReadonlySignal<TextView | null>,
    actionError: actionError as ReadonlySignal<{ code: string } | null>,
    local: local as ReadonlySignal<LocalScreen>,
    helpStatus: helpStatus as ReadonlySignal<HelpStatusView | null>,
    disk: disk as ReadonlySignal<TopicMap["disk/status"] | null>,
    helpShownAt: helpShownAt as ReadonlySignal<number | null>,
    spokenKey: spokenKey as ReadonlySignal<string | null>,
    step,
    callHelp,
    dismissHelp,
    sayLocal,
    send,
    touch,
    toggleLang,
    toggleMute,
    replay,
    openKeypad,
    closeKeypad,
    dismissError,
    dispose,
  };
}

export type StationModel = ReturnType<typeof createStationModel>;
