/**
 * The doctor's console in the kiosk page: which console screen is up, the sign-in state, and
 * the calls a screen may make. The station publishes the session on "doctor/session"; when it
 * ends (sign-out, idle, another doctor) every console screen closes at once.
 */
import { batch, computed, type ReadonlySignal, signal } from "@preact/signals-core";
import type { PersonHistory } from "../../../station/person-history/types.js";
import type { DoctorSessionView, ServerMessage } from "../../../station/protocol.js";
import type { StationClient } from "../client/station-client.js";
import { DoctorApiError, type DoctorCall, doctorCall } from "./api.js";

export type DoctorScreen =
  | "names"
  | "pin"
  | "home"
  | "id-reason"
  | "keypad"
  | "symptoms"
  | "manual-bp"
  | "manual-glucose"
  | "follow-up"
  | "lists"
  | "history";

/** Whose history to open: a list or inbox entry, or the check-up just done; never an ID number. */
export type HistoryRef = { entryKey: string; via: "list" | "inbox" } | { recordId: string; via: "checkup" };

export interface HistoryView {
  ref: HistoryRef;
  /** Null while loading (or when the station refused: see error). */
  data: PersonHistory | null;
  /** Where 返回 goes. */
  from: DoctorScreen | null;
}

export interface DoctorListItem {
  id: string;
  name: string;
  card: boolean;
}

export interface AuditRow {
  seq: number;
  at: string;
  type: string;
  doctorId: string | null;
  recordId?: string;
}

export const DOCTOR_TOUCH_MS = 5_000;

/** The station's refusals read "中文 / English": show the half for the current language. */
export function pickLang(message: string, lang: "zh" | "en"): string {
  const i = message.indexOf(" / ");
  if (i < 0) return message;
  return lang === "zh" ? message.slice(0, i) : message.slice(i + 3);
}

export function createDoctorModel(client: StationClient, call: DoctorCall = doctorCall, now = Date.now) {
  const session = signal<DoctorSessionView | null>(null);
  const screen = signal<DoctorScreen | null>(null);
  const doctors = signal<DoctorListItem[]>([]);
  const pinFor = signal<{ id: string; name: string; via: "name" | "card" } | null>(null);
  const pin = signal("");
  const error = signal<string | null>(null);
  const busy = signal(false);
  const idReason = signal<"card-forgotten" | "card-broken">("card-forgotten");
  const audit = signal<AuditRow[]>([]);
  const listsTab = signal<"due" | "inbox" | "help" | "rejected" | "coverage">("due");
  const history = signal<HistoryView | null>(null);
  const signedIn = computed(() => session.value?.signedIn === true);
  let lastTouch = Number.NEGATIVE_INFINITY;

  function apply(v: DoctorSessionView): void {
    const was = session.value?.signedIn === true;
    const who = session.value?.doctor?.id;
    batch(() => {
      session.value = v;
      // Signed out, or another doctor signed in: nothing of the last doctor's screens stays.
      if (was && (!v.signedIn || v.doctor?.id !== who)) close();
      // A doctor's card on the card screen: straight to that doctor's PIN.
      if (!v.signedIn && v.card && "doctorId" in v.card && screen.value === "names") {
        pinFor.value = { id: v.card.doctorId, name: v.card.name, via: "card" };
        pin.value = "";
        screen.value = "pin";
      }
    });
  }

  const off = client.onMessage((m: ServerMessage) => {
    if (m.topic === "doctor/session") apply(m.payload);
  });

  function close(): void {
    batch(() => {
      screen.value = null;
      // The history is a person's data: gone from the page with the session.
      history.value = null;
      pinFor.value = null;
      pin.value = "";
      error.value = null;
      busy.value = false;
    });
  }

  /** Runs a call, showing its refusal; resolves the result or null. */
  async function run<T>(route: string, body?: unknown): Promise<T | null> {
    busy.value = true;
    error.value = null;
    try {
      return (await call(route, body)) as T;
    } catch (e) {
      error.value = e instanceof DoctorApiError ? e.message : String(e);
      return null;
    } finally {
      busy.value = false;
    }
  }

  /** The attract screen's way in: the console home when signed in, else sign-in. */
  async function enter(): Promise<void> {
    // Signed in from this page (its cookie): the home. Another page, or a lost cookie: sign in.
    if (
      signedIn.value &&
      (await call("session").then(
        () => true,
        () => false,
      ))
    ) {
      screen.value = "home";
      void loadAudit();
      return;
    }
    error.value = null;
    screen.value = "names";
    const list = await run<DoctorListItem[]>("doctors");
    if (list) doctors.value = list;
    await run("card-wait", { on: true });
  }

  function pick(d: DoctorListItem): void {
    pinFor.value = { id: d.id, name: d.name, via: "name" };
    pin.value = "";
    error.value = null;
    screen.value = "pin";
  }

  function press(key: string): void {
    if (key === "del") pin.value = pin.value.slice(0, -1);
    else if (key === "clear") pin.value = "";
    else if (pin.value.length < 8) pin.value += key;
  }

  async function submitPin(): Promise<void> {
    const who = pinFor.value;
    if (!who) return;
    const r = await run("sign-in", { doctorId: who.id, pin: pin.value, via: who.via });
    pin.value = "";
    if (r) {
      screen.value = "home";
      void loadAudit();
    }
  }

  async function signOut(): Promise<void> {
    await run("sign-out");
    close();
  }

  /** Any touch while signed in keeps the session alive, at most one call per DOCTOR_TOUCH_MS. */
  function touch(): void {
    if (!signedIn.value) return;
    const t = now();
    if (t - lastTouch < DOCTOR_TOUCH_MS) return;
    lastTouch = t;
    void call("touch").catch(() => {});
  }

  async function loadAudit(): Promise<void> {
    const rows = await call("audit", { limit: 8 }).catch(() => null);
    if (Array.isArray(rows)) audit.value = (rows as AuditRow[]).reverse();
  }

  async function startDay(sampleType: string | null): Promise<void> {
    if (await run("assisted", { on: true, sampleType })) close();
  }

  async function stopDay(): Promise<void> {
    await run("assisted", { on: false });
  }

  async function consent(): Promise<void> {
    await run("consent");
  }

  function manualIdFor(reason: "card-forgotten" | "card-broken"): void {
    idReason.value = reason;
    screen.value = "keypad";
  }

  /** The keypad's submit: resolves true when the station took the ID. */
  async function manualId(idNumber: string, name: string | undefined): Promise<boolean> {
    const body =
      name === undefined ? { idNumber, reason: idReason.value } : { idNumber, name, reason: idReason.value };
    const ok = (await run("manual-id", body)) !== null;
    if (ok) screen.value = null;
    return ok;
  }

  async function submit(route: string, body: unknown): Promise<unknown> {
    const r = await run(route, body);
    if (r !== null) screen.value = null;
    return r;
  }

  function openLists(tab: "due" | "inbox" | "help" | "rejected" | "coverage"): void {
    listsTab.value = tab;
    open("lists");
  }

  /** Opens a person's history (the station writes a person-viewed audit event). */
  async function openHistory(ref: HistoryRef, from: DoctorScreen | null): Promise<void> {
    if (ref.via === "list") listsTab.value = "due";
    if (ref.via === "inbox") listsTab.value = "inbox";
    const view: HistoryView = { ref, data: null, from };
    history.value = view;
    open("history");
    const data = await run<PersonHistory>("person-history", ref);
    // Still the same view (not signed out or closed meanwhile).
    if (data && history.value === view) history.value = { ...view, data };
  }

  function closeHistory(): void {
    const from = history.value?.from ?? null;
    history.value = null;
    open(from);
  }

  function open(s: DoctorScreen | null): void {
    error.value = null;
    if (s !== "history") history.value = null;
    screen.value = s;
    if (s !== "names") void call("card-wait", { on: false }).catch(() => {});
    // Back home from the lists: their outcomes and exports are in the recent-actions list.
    if (s === "home") void loadAudit();
  }

  return {
    session: session as ReadonlySignal<DoctorSessionView | null>,
    screen: screen as ReadonlySignal<DoctorScreen | null>,
    doctors: doctors as ReadonlySignal<DoctorListItem[]>,
    pinFor: pinFor as ReadonlySignal<{ id: string; name: string; via: "name" | "card" } | null>,
    pin: pin as ReadonlySignal<string>,
    error: error as ReadonlySignal<string | null>,
    busy: busy as ReadonlySignal<boolean>,
    audit: audit as ReadonlySignal<AuditRow[]>,
    listsTab: listsTab as ReadonlySignal<"due" | "inbox" | "help" | "rejected" | "coverage">,
    openLists,
    history: history as ReadonlySignal<HistoryView | null>,
    openHistory,
    closeHistory,
    signedIn,
    call,
    enter,
    pick,
    press,
    submitPin,
    signOut,
    touch,
    startDay,
    stopDay,
    consent,
    manualIdFor,
    manualId,
    submit,
    open,
    loadAudit,
    dispose: off,
  };
}

export type DoctorModel = ReturnType<typeof createDoctorModel>;
