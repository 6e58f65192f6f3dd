/**
 * Synthetic history for the embedded demo: a few roster villagers get several years of check-ups
 * so a newcomer sees a real chart from a card tap. Deterministic for a given seeding day (a fixed
 * PRNG per villager), written once: every seeded record carries operator doctorId
 * "synthetic-demo-history", and a villager who already has one is left alone.
 */
import { v7 as uuidv7 } from "uuid";
import { assess } from "../assessment/index.js";
import type { PolicyPack } from "../assessment/policy-schema.js";
import { parseIdNumber } from "../domain/id-number.js";
import type { BpReading, CheckupRecord, GlucoseReading, RosterEntry } from "../domain/schema.js";
import type { RecordStore } from "../storage/types.js";

/** The demo villagers with history (README "Using the demo" names them). */
export const DEMO_HISTORY_IDS = ["510199194412213797", "510199195307043655", "51019919620613881X"] as const;
export const SYNTHETIC_OPERATOR = "synthetic-demo-history";
const DAY_MS = 86_400_000;

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** One villager's visits: every ~2–4 months over `years`, BP drifting down as treatment works. */
export function demoRecords(
  entry: RosterEntry,
  index: number,
  o: { nowMs: number; stationId: string; pack: PolicyPack; years: number; firstSeq: number },
): CheckupRecord[] {
  const id = parseIdNumber(entry.idNumber);
  if (!id.ok) return [];
  const rnd = prng(1000 + index);
  const hyper = entry.categories.includes("hypertension");
  const diab = entry.categories.includes("diabetes");
  const out: CheckupRecord[] = [];
  // Newest visit 20 days ago, so the default 12-month chart is populated and a follow-up is due.
  let back = o.years * 365;
  let seq = o.firstSeq;
  while (back >= 20) {
    const at = o.nowMs - back * DAY_MS + 9 * 3_600_000 + Math.floor(rnd() * 6 * 3_600_000);
    const takenAt = new Date(at).toISOString();
    const progress = 1 - back / (o.years * 365);
    const sbp = Math.round((hyper ? 165 - 25 * progress : 128) + (rnd() - 0.5) * 16);
    const dbp = Math.round((hyper ? 98 - 12 * progress : 80) + (rnd() - 0.5) * 10);
    const sample = rnd() < 0.6 ? "fasting" : "random";
    const base = diab ? (sample === "fasting" ? 8.2 - 1.5 * progress : 11.5 - 2 * progress) : 5.4;
    const mmolL = Math.round((base + (rnd() - 0.5) * 1.6) * 10) / 10;
    const device = { kind: "bp" as const, model: "synthetic demo", transport: "sim" as const };
    const bpR: BpReading = {
      kind: "bp",
      systolic: sbp,
      diastolic: dbp,
      pulse: 70 + Math.floor(rnd() * 15),
      unit: "mmHg",
      statusFlags: [],
      takenAt,
      source: "device",
      device,
    };
    const gluR: GlucoseReading = {
      kind: "glucose",
      mmolL,
      sampleType: sample,
      takenAt,
      source: "device",
      device: { ...device, kind: "glucose" },
    };
    const day = takenAt.slice(0, 10);
    const a = assess(
      {
        bpReadings: [bpR],
        glucose: gluR,
        person: { birthDate: id.value.birthDate, categories: [...entry.categories] },
        today: day,
      },
      o.pack,
    );
    out.push({
      schemaVersion: 1,
      id: uuidv7({ msecs: at, random: Uint8Array.from({ length: 16 }, () => Math.floor(rnd() * 256)) }),
      stationId: o.stationId,
      seq: seq++,
      createdAt: takenAt,
      clockSuspect: false,
      person: {
        idNumber: entry.idNumber,
        name: entry.name,
        sex: id.value.sex,
        birthDate: id.value.birthDate,
        source: "card",
      },
      readings: [bpR, gluR],
      assessment: a.assessment,
      consent: { given: true, at: takenAt, method: "touch" },
      operator: { kind: "doctor", doctorId: SYNTHETIC_OPERATOR },
      // Already archived: the demo's own check-ups are the only ones the uploader sends.
      sync: { status: "acked", attempts: 1, lastAttemptAt: takenAt, ackedAt: takenAt, rejectReason: null },
    });
    back -= 60 + Math.floor(rnd() * 60);
  }
  return out;
}

/** Seeds each demo villager once; returns how many records were written (0 when already seeded). */
export async function seedDemoHistory(
  store: RecordStore,
  roster: { get(id: string): RosterEntry | null },
  o: { nowMs: number; stationId: string; pack: PolicyPack },
): Promise<number> {
  let written = 0;
  for (const [i, idNumber] of DEMO_HISTORY_IDS.entries()) {
    const entry = roster.get(idNumber);
    if (!entry) continue;
    const have = await store.byPerson(idNumber);
    if (have.some((r) => r.operator.kind === "doctor" && r.operator.doctorId === SYNTHETIC_OPERATOR))
      continue;
    const recs = demoRecords(entry, i, { ...o, years: 4, firstSeq: await store.nextSeq() });
    for (const r of recs) {
      // Each record takes its own durable sequence number, as a real check-up would.
      r.seq = r === recs[0] ? r.seq : await store.nextSeq();
      await store.save(r);
      written++;
    }
  }
  return written;
}
