/**
 * The per-person summaries data pack: the county archive's visits of the villagers a station
 * serves (flows/fleet/summaries-pack.ts builds it), so the health card shows visits made
 * elsewhere and a replaced station gets its villagers' history back.
 *
 *   wire:    {v: 1, type: "summaries", county, station, generatedAt,
 *             people: [{idNumber, visits: [CountyVisit]}]}
 *   at rest: {v: 1, type: "summaries-keyed", county, station, generatedAt, keyCheck,
 *             people: {hmac: [CountyVisit]}}
 *
 * The archive identifies people by ID number, so the wire form carries it; the station keys
 * every person by its person index's HMAC on receipt and keeps only that form on disk
 * (docs/security.md). `keyCheck` is the key of a fixed string: a pack keyed under a secret the
 * station no longer has (its key file was lost and the index re-keyed) is not used, and the
 * birth then shows no summaries version, so the county sends it again.
 */
import { z } from "zod";
import { formatIssues } from "../domain/schema.js";
import { CountyVisit, type CountyVisits } from "../health-card/county-visits.js";
import type { PackCheck, PackKind } from "./packs.js";

const MAX_PEOPLE = 50_000;
const MAX_VISITS = 200;

export const SummariesPackFile = z
  .object({
    v: z.literal(1),
    type: z.literal("summaries"),
    county: z.string().min(1).max(64),
    /** The station it was built for; null for a village roster shared by several. */
    station: z.string().min(1).max(64).nullable(),
    generatedAt: z.string().datetime({ offset: true }),
    people: z
      .array(
        z
          .object({
            idNumber: z.string().regex(/^\d{17}[\dX]$/, "an 18-character resident ID number"),
            visits: z.array(CountyVisit).max(MAX_VISITS),
          })
          .strict(),
      )
      .max(MAX_PEOPLE),
  })
  .strict();
export type SummariesPackFile = z.infer<typeof SummariesPackFile>;

const KeyedFile = z.object({
  v: z.literal(1),
  type: z.literal("summaries-keyed"),
  county: z.string(),
  station: z.string().nullable(),
  generatedAt: z.string(),
  keyCheck: z.string(),
  people: z.record(z.string().regex(/^[0-9a-f]{64}$/), z.array(CountyVisit).max(MAX_VISITS)),
});

export interface KeyedSummaries {
  county: string;
  station: string | null;
  generatedAt: string;
  people: Map<string, CountyVisit[]>;
}

const KEY_CHECK = "hs-summaries-key-check";

function parseJson(bytes: Buffer): { ok: true; raw: unknown } | { ok: false; errors: string[] } {
  try {
    return { ok: true, raw: JSON.parse(bytes.toString("utf8")) };
  } catch (err) {
    return { ok: false, errors: [`(root): not JSON: ${(err as Error).message}`] };
  }
}

export function summariesPack(
  target: CountyVisits,
  o: { county: string; stationId: string; keyOf: (idNumber: string) => string },
): PackKind<KeyedSummaries> {
  const check = (bytes: Buffer): PackCheck<KeyedSummaries> => {
    const j = parseJson(bytes);
    if (!j.ok) return j;
    const r = SummariesPackFile.safeParse(j.raw);
    if (!r.success) return { ok: false, errors: formatIssues(r.error) };
    const p = r.data;
    const errors: string[] = [];
    if (p.county !== o.county)
      errors.push(`county: the pack is for ${p.county}, this station is in ${o.county}`);
    if (p.station !== null && p.station !== o.stationId)
      errors.push(`station: the pack is for ${p.station}, this is ${o.stationId}`);
    if (errors.length > 0) return { ok: false, errors };
    const people = new Map<string, CountyVisit[]>();
    for (const person of p.people) {
      const k = o.keyOf(person.idNumber);
      // The same person twice (two roster rows): one list, each record once.
      const have = people.get(k) ?? [];
      const ids = new Set(have.map((v) => v.id));
      people.set(k, [...have, ...person.visits.filter((v) => !ids.has(v.id))]);
    }
    return { ok: true, value: { county: p.county, station: p.station, generatedAt: p.generatedAt, people } };
  };
  return {
    check,
    apply: (v, version) => target.set(v.people, version),
    atRest: {
      encode: (v) =>
        Buffer.from(
          JSON.stringify({
            v: 1,
            type: "summaries-keyed",
            county: v.county,
            station: v.station,
            generatedAt: v.generatedAt,
            keyCheck: o.keyOf(KEY_CHECK),
            people: Object.fromEntries(v.people),
          }),
        ),
      read: (bytes) => {
        const j = parseJson(bytes);
        if (!j.ok) return j;
        const r = KeyedFile.safeParse(j.raw);
        if (!r.success) return { ok: false, errors: formatIssues(r.error) };
        if (r.data.keyCheck !== o.keyOf(KEY_CHECK))
          return { ok: false, errors: ["keyed under another person-index secret"] };
        const { county, station, generatedAt, people } = r.data;
        return { ok: true, value: { county, station, generatedAt, people: new Map(Object.entries(people)) } };
      },
    },
  };
}
