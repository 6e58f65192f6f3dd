/** Record messages for the archive tests: valid by the contract unless a test breaks them on purpose. */

import type { ArchivedRecord } from "../../flows/archive/store.js";
import { idCheckChar } from "../../station/domain/id-number.js";
import { type RecordMessage, topics } from "../../station/mqtt/contract.js";

export const COUNTY = "demo-county";
export const STATION = "st-001";
export const TODAY = "2026-11-22";
export const NOW = "2026-11-22T02:00:00.000Z";

/** A UUIDv7-shaped id from a number (time part fixed, counter in the random part). */
export function recordId(n: number, station = 0): string {
  const hex = n.toString(16).padStart(12, "0");
  const st = station.toString(16).padStart(3, "0");
  return `019ab5a0-0000-7${st}-8000-${hex}`;
}

/** A valid resident ID number born on `birth` (YYYYMMDD); odd `seq3` = male. */
export function idNumber(birth = "19441221", seq3 = "379"): string {
  const first17 = `510199${birth}${seq3}`;
  return first17 + idCheckChar(first17);
}

export function makeMessage(
  opts: { n?: number; county?: string; station?: string; stationIndex?: number; idNumber?: string } = {},
): RecordMessage {
  const n = opts.n ?? 1;
  const county = opts.county ?? COUNTY;
  const station = opts.station ?? STATION;
  return {
    v: 1,
    type: "checkup-record",
    county,
    stationId: station,
    sentAt: "2026-11-22T10:00:05+08:00",
    record: {
      schemaVersion: 1,
      id: recordId(n, opts.stationIndex ?? 0),
      stationId: station,
      seq: n,
      createdAt: "2026-11-22T10:00:00+08:00",
      clockSuspect: false,
      person: {
        idNumber: opts.idNumber ?? idNumber(),
        name: "杨金花",
        sex: "male",
        birthDate: "1944-12-21",
        source: "card",
      },
      readings: [
        {
          kind: "bp",
          systolic: 142,
          diastolic: 91,
          mean: null,
          pulse: 72,
          unit: "mmHg",
          statusFlags: [],
          takenAt: "2026-11-22T09:58:00+08:00",
          source: "device",
        },
      ],
      assessment: null,
      consent: { given: true, at: "2026-11-22T09:57:00+08:00", method: "touch" },
      operator: { kind: "self" },
      sync: { status: "pending", attempts: 0, lastAttemptAt: null, ackedAt: null, rejectReason: null },
    },
    observations: [
      {
        readingIndex: 0,
        code: { system: "http://loinc.org", code: "85354-9", display: "Blood pressure panel" },
        components: [
          {
            code: { system: "http://loinc.org", code: "8480-6", display: "Systolic blood pressure" },
            value: 142,
            unit: "mm[Hg]",
          },
        ],
        effective: "2026-11-22T09:58:00+08:00",
        method: "device",
      },
    ],
  };
}

export function archived(n: number, station = STATION, stationIndex = 0): ArchivedRecord {
  return { message: makeMessage({ n, station, stationIndex }), receivedAt: NOW };
}

export function recordTopic(station = STATION, county = COUNTY): string {
  return topics.record(county, station);
}

export function bytes(v: unknown): Buffer {
  return Buffer.from(JSON.stringify(v));
}
