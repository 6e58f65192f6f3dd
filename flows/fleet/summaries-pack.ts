/**
 * County side of the per-person summaries pack (station/fleet/summaries-pack.ts): for the people
 * of a station's roster (or of some of its villages), the visits the archive holds for them from
 * any station of the county, newest `maxVisits` each. One pass over the archive through the
 * ArchiveStore interface (list pages in id order), so the file store and PostgreSQL build the
 * same pack. The pack carries ID numbers as the archive does; the station keys them on receipt.
 */
import type { CheckupRecord } from "../../station/domain/schema.js";
import type { SummariesPackFile } from "../../station/fleet/summaries-pack.js";
import type { CountyVisit } from "../../station/health-card/county-visits.js";
import { visitFromRecord } from "../../station/health-card/records.js";
import type { ArchiveStore } from "../archive/store.js";

export interface SummariesTarget {
  /** The station the pack is for (null: a pack for a village roster several stations share). */
  station: string | null;
  /** ID numbers of the people it covers. */
  people: Iterable<string>;
}

const PAGE = 1000;

/** The archived record as the station's health card shows it: results only. */
export function countyVisitOf(record: CheckupRecord, stationId: string): CountyVisit {
  // The date is the station's to work out (its own time zone); only instants travel.
  const v = visitFromRecord(record, "UTC");
  return {
    id: v.id,
    version: v.version,
    stationId,
    takenAt: v.takenAt,
    kind: record.schemaVersion === 2 && record.followUp ? "followup" : "checkup",
    bp: v.bp,
    glucose: v.glucose,
    urgentReferral: v.urgentReferral,
    followUpDue: v.followUpDue,
  };
}

/** One pack per target, built in one pass over the archive. */
export async function buildSummariesPacks(
  store: ArchiveStore,
  o: { county: string; targets: SummariesTarget[]; now?: Date; maxVisits?: number },
): Promise<{ pack: SummariesPackFile; bytes: Buffer; visits: number }[]> {
  const maxVisits = o.maxVisits ?? 50;
  const wanted = new Map<string, CountyVisit[]>();
  for (const t of o.targets) for (const id of t.people) wanted.set(id, []);
  let afterId: string | undefined;
  for (;;) {
    const page = await store.list({ limit: PAGE, ...(afterId ? { afterId } : {}) });
    for (const { message: m } of page) {
      if (m.county !== o.county) continue;
      const list = wanted.get(m.record.person.idNumber);
      if (list) list.push(countyVisitOf(m.record as CheckupRecord, m.stationId));
    }
    if (page.length < PAGE) break;
    afterId = page.at(-1)!.message.record.id;
  }
  const generatedAt = (o.now ?? new Date()).toISOString();
  return o.targets.map((t) => {
    const people: SummariesPackFile["people"] = [];
    let visits = 0;
    for (const idNumber of new Set(t.people)) {
      const all = wanted.get(idNumber) ?? [];
      if (all.length === 0) continue;
      // Newest first by when measured; the station sorts again for the card.
      const kept = [...all].sort((a, b) => (a.takenAt < b.takenAt ? 1 : -1)).slice(0, maxVisits);
      visits += kept.length;
      people.push({ idNumber, visits: kept });
    }
    const pack: SummariesPackFile = {
      v: 1,
      type: "summaries",
      county: o.county,
      station: t.station,
      generatedAt,
      people,
    };
    return { pack, bytes: Buffer.from(JSON.stringify(pack)), visits };
  });
}
