/**
 * Visits the county archive knows about (the summaries data pack, station/fleet/summaries-pack.ts):
 * made at other stations, or at this one before it was replaced. Held in memory keyed by the
 * person index's HMAC (the ID number is never kept), and shown on the health card beside the
 * station's own records; the card keeps one visit per record id (card.ts dedupeVisits), so a
 * record this station made and uploaded appears once.
 */
import { z } from "zod";
import { localDate } from "../runtime/clock.js";
import type { VisitSummary } from "./types.js";

/** One archived record as the pack carries it: results only, no name or address. */
export const CountyVisit = z
  .object({
    /** The record id (UUIDv7), as in the archive. */
    id: z.string().min(1).max(64),
    /** The record's seq: a higher one wins for the same id. */
    version: z.number().int().nonnegative(),
    stationId: z.string().min(1).max(64),
    takenAt: z.string().datetime({ offset: true }),
    kind: z.enum(["checkup", "followup"]),
    bp: z
      .object({
        systolic: z.number(),
        diastolic: z.number(),
        readingsAveraged: z.number().int().nonnegative(),
        class: z.string().max(40),
      })
      .nullable(),
    glucose: z
      .object({ mmolL: z.number(), sampleType: z.string().max(40), class: z.string().max(40) })
      .nullable(),
    urgentReferral: z.boolean(),
    followUpDue: z.string().max(10).nullable(),
  })
  .strict();
export type CountyVisit = z.infer<typeof CountyVisit>;

export class CountyVisits {
  #people = new Map<string, readonly CountyVisit[]>();
  #version: number | null = null;

  constructor(
    /** The person index's key of an ID number (InspectableRecordStore.personKey). */
    private readonly keyOf: (idNumber: string) => string,
  ) {}

  get version(): number | null {
    return this.#version;
  }

  get people(): number {
    return this.#people.size;
  }

  /** The whole pack, already keyed: replaces the previous one. */
  set(people: Map<string, readonly CountyVisit[]>, version: number): void {
    this.#people = people;
    this.#version = version;
  }

  forPerson(idNumber: string, timeZone: string): VisitSummary[] {
    if (this.#people.size === 0) return [];
    return (this.#people.get(this.keyOf(idNumber)) ?? []).map((v) => ({
      id: v.id,
      version: v.version,
      source: "county",
      date: localDate(Date.parse(v.takenAt), timeZone),
      takenAt: v.takenAt,
      kind: v.kind,
      bp: v.bp,
      glucose: v.glucose,
      urgentReferral: v.urgentReferral,
      followUpDue: v.followUpDue,
      // The archive stored it: never a rejected record.
      rejected: null,
    }));
  }
}
