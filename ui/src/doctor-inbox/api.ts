/** The doctor's inbox routes (/api/doctor/inbox/…), same-origin with the session cookie. */
export type InboxRequest = (method: "GET" | "POST", path: string, body?: unknown) => Promise<unknown>;

export const inboxRequest: InboxRequest = async (method, path, body) => {
  const res = await fetch(`/api/doctor/inbox/${path}`, {
    method,
    credentials: "same-origin",
    headers: body === undefined ? {} : { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await res.json()) as { error?: string };
  if (!res.ok) throw new Error(json.error ?? `HTTP ${res.status}`);
  return json;
};

export interface HelpRow {
  id: string;
  at: string;
  step: string;
  screen: string;
  source: string;
}
export const HELP_OUTCOMES = ["attended", "false-alarm", "villager-left"] as const;

export interface RejectedRow {
  id: string;
  date: string;
  code: string | null;
  reason: string;
  kind: string;
  idMasked: string;
  nameMasked: string;
  supersededBy: string | null;
}
export type ReadingView =
  | { kind: "bp"; systolic: number; diastolic: number; pulse?: number | null }
  | { kind: "glucose"; mmolL: number };
export interface RejectedDetail extends RejectedRow {
  idNumber: string;
  name: string;
  readings: ReadingView[];
  correctable: string[];
}
export const CORRECTION_REASONS = ["typing-error", "wrong-card", "device-error", "other"] as const;

/** The values the form edits, keyed "idNumber" or "r<index>.<part>". */
export function formFields(d: RejectedDetail): Array<{ key: string; value: string }> {
  const out: Array<{ key: string; value: string }> = [];
  if (d.correctable.includes("idNumber")) out.push({ key: "idNumber", value: d.idNumber });
  if (d.correctable.includes("readings"))
    d.readings.forEach((r, i) => {
      if (r.kind === "bp") {
        out.push({ key: `r${i}.systolic`, value: String(r.systolic) });
        out.push({ key: `r${i}.diastolic`, value: String(r.diastolic) });
        out.push({ key: `r${i}.pulse`, value: r.pulse == null ? "" : String(r.pulse) });
      } else if (r.kind === "glucose") out.push({ key: `r${i}.mmolL`, value: String(r.mmolL) });
    });
  return out;
}

/** The correction request for what the doctor changed (only changed readings are sent). */
export function correctionBody(
  d: RejectedDetail,
  values: Record<string, string>,
  reason: string,
): Record<string, unknown> {
  const body: Record<string, unknown> = { recordId: d.id, reason };
  if (values.idNumber !== undefined && values.idNumber !== d.idNumber) body.idNumber = values.idNumber;
  const readings: unknown[] = [];
  d.readings.forEach((r, i) => {
    const v = (part: string) => values[`r${i}.${part}`];
    if (r.kind === "bp" && v("systolic") !== undefined) {
      const fix = {
        index: i,
        systolic: Number(v("systolic")),
        diastolic: Number(v("diastolic")),
        pulse: v("pulse") ? Number(v("pulse")) : null,
      };
      if (fix.systolic !== r.systolic || fix.diastolic !== r.diastolic || fix.pulse !== (r.pulse ?? null))
        readings.push(fix);
    } else if (r.kind === "glucose" && v("mmolL") !== undefined && Number(v("mmolL")) !== r.mmolL)
      readings.push({ index: i, mmolL: Number(v("mmolL")) });
  });
  if (readings.length) body.readings = readings;
  return body;
}

/** The archive writes its reasons "中文 / English[: detail]"; show the doctor's language only. */
export function reasonText(reason: string, lang: "zh" | "en"): string {
  const cut = reason.indexOf(" / ");
  if (cut < 0) return reason;
  return lang === "zh" ? reason.slice(0, cut) : reason.slice(cut + 3);
}

/** Help requests waiting and rejections not yet corrected, for the tabs' badges. */
export async function inboxCountsNow(
  request: InboxRequest = inboxRequest,
): Promise<{ help: number; rejected: number }> {
  const [h, r] = await Promise.all([request("GET", "help"), request("GET", "rejected")]);
  return {
    help: (h as { waiting: unknown[] }).waiting.length,
    rejected: (r as { rejected: RejectedRow[] }).rejected.filter((x) => !x.supersededBy).length,
  };
}
