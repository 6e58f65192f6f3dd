/**
 * The health card's data shape (docs/health-card.md). Pure types: the workflow, the protocol and
 * the UI import them; nothing here imports the station's runtime.
 */
import type { Programme } from "../assessment/programmes.js";

/**
 * One past contact from any source. The station maps its CheckupRecords to these
 * (records.ts); county-provided per-person summaries (a later issue) map to the same shape.
 */
export interface VisitSummary {
  /** Stable id of the visit: the record id (UUIDv7) for station records. */
  id: string;
  /** Higher wins when the same id arrives twice (station: the record's seq). */
  version: number;
  source: "station" | "county";
  /** Local calendar date of the visit. */
  date: string;
  /** When the measurement was taken (ISO 8601); with the values it identifies a re-sent reading. */
  takenAt: string;
  /** The station's self-service check-up, or a doctor's follow-up visit (county summaries). */
  kind: "checkup" | "followup";
  bp: { systolic: number; diastolic: number; readingsAveraged: number; class: string } | null;
  glucose: { mmolL: number; sampleType: string; class: string } | null;
  urgentReferral: boolean;
  followUpDue: string | null;
  /** The county archive rejected this record; its reason as the archive gave it. */
  rejected: { reason: string | null } | null;
}

export interface HealthCardPerson {
  /** Masked (杨*花): the card is read at a kiosk with a queue behind it. */
  name: string;
  age: number;
  sex: string;
}

export type Tag = "age65" | "hypertension" | "diabetes" | (string & {});

/** better / same / worse / none (nothing to compare) / not-comparable (different sample types). */
export type Trend = "better" | "same" | "worse" | "none" | "not-comparable";

export interface BpPoint {
  date: string;
  systolic: number;
  diastolic: number;
  rejected: boolean;
}

export interface GlucosePoint {
  date: string;
  mmolL: number;
  sampleType: string;
  rejected: boolean;
}

export interface Band {
  low: number;
  high: number;
}

export interface DueView {
  /** annual-checkup, hypertension or diabetes follow-up, referral follow-up. */
  kind: Programme;
  /** upcoming: before its lead window; due: inside it; overdue: past the due date. */
  status: "upcoming" | "due" | "overdue";
  dueDate: string;
  /** Days past the due date (0 unless overdue). */
  daysOverdue: number;
  /** Days until the due date (0 when due today or overdue). */
  daysLeft: number;
}

export interface HealthCard {
  person: HealthCardPerson;
  /** Roster categories plus age65 (and hypertension/diabetes when the roster lists them). */
  tags: Tag[];
  onRoster: boolean;
  latest: {
    bp: { now: BpPoint; before: BpPoint | null; trend: Trend } | null;
    glucose: { now: GlucosePoint; before: GlucosePoint | null; trend: Trend } | null;
  };
  series: {
    bp: BpPoint[];
    glucose: GlucosePoint[];
    /** Target bands drawn on the chart (policy pack BP target; glucose by sample type). */
    bands: { systolic: Band; diastolic: Band; glucose: Record<string, Band> };
    /** Years with at least one visit, oldest first; every one is reachable in the chart. */
    years: number[];
    /** The default window: the last 12 months up to today. */
    defaultFrom: string;
    to: string;
  };
  due: DueView[];
  doctor: { name: string; phone: string } | null;
  entitlements: { zh: string[]; en: string[] };
  /** Visits used, after de-duplication; rejected ones are counted too. */
  visitCount: number;
  rejectedCount: number;
  today: string;
}
