/** What the person-history route answers (station/person-history/routes.ts); the UI imports these types. */
import type { HealthCard } from "../health-card/types.js";

export interface HistoryReading {
  recordId: string;
  takenAt: string;
  /** takenAt in the station's time zone, "YYYY-MM-DD HH:mm". */
  localTime: string;
  kind: "bp" | "glucose";
  /** mmHg as recorded (unit kept), or mmol/L. */
  systolic?: number;
  diastolic?: number;
  pulse?: number | null;
  unit?: string;
  mmolL?: number;
  sampleType?: string;
  source: string;
  /** The device model, or "manual". */
  device: string;
  /** Why the doctor typed it (assisted.manualReadings), when typed. */
  manualReason: string | null;
  /** "self" for the villager's own check-up, else the doctor's id. */
  operator: string;
  rejected: boolean;
}

export interface HistoryFollowUp {
  recordId: string;
  visitDate: string;
  programmes: string[];
  mode: string;
  symptoms: string[];
  otherSymptom: string | null;
  adherence: string;
  adverseReaction: string | null;
  medicines: { name: string; dose: string; timesPerDay: number }[];
  visitClass: string;
  referral: { reason: string; institution: string } | null;
  nextVisit: string;
  doctorId: string;
}

export interface HistoryOutcome {
  id: string;
  day: string;
  /** The list the entry was on: a programme, or "referral". */
  programme: string;
  /** The entry's due date (list entries), or null (a referral in the inbox). */
  due: string | null;
  kind: string;
  reason: string | null;
  doctorId: string;
}

export interface HistoryReferral {
  recordId: string;
  date: string;
  reasons: string[];
  /** Outcomes recorded for it in the inbox, oldest first. */
  outcomes: HistoryOutcome[];
  /** A doctor recorded what happened (the inbox's "removed" with a reason). */
  closed: boolean;
}

export interface PersonHistory {
  card: HealthCard;
  /** Newest first. */
  readings: HistoryReading[];
  followUps: HistoryFollowUp[];
  outcomes: HistoryOutcome[];
  referrals: HistoryReferral[];
}
