/**
 * The one check every fault test ends with: each saved record exactly once in the archive, and
 * nothing else; the station's outbox empty.
 */
import { expect } from "vitest";
import { type ArchiveContents, duplicates } from "./archive-read.js";
import type { StationHoldings } from "./records.js";

export { type ArchiveContents, duplicates, readArchive } from "./archive-read.js";

/**
 * The end state every fault must reach: the station's outbox is empty, nothing was rejected,
 * and the archive holds every saved record exactly once and no other record.
 */
export function expectExactlyOnce(
  station: StationHoldings,
  archive: ArchiveContents,
  expectedSaved: number,
): void {
  expect(station.saved.length, "records the station saved").toBe(expectedSaved);
  expect(duplicates(station.saved), "station ids saved twice").toEqual([]);
  expect(station.pending, "station outbox after the drain").toEqual([]);
  expect(station.rejected, "records the archive rejected").toEqual([]);
  expect(station.quarantined, "station records unreadable after the faults").toBe(0);
  expect(archive.corrupt, "damaged archive lines").toBe(0);
  expect(duplicates(archive.ids), "records stored more than once in the archive").toEqual([]);
  const inArchive = new Set(archive.ids);
  expect(
    station.saved.filter((id) => !inArchive.has(id)),
    "saved records missing from the archive",
  ).toEqual([]);
  const saved = new Set(station.saved);
  expect(
    archive.ids.filter((id) => !saved.has(id)),
    "archive records the station never saved",
  ).toEqual([]);
  expect(archive.ids.length, "archive row count").toBe(expectedSaved);
}
