import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Printer, Slip } from "../../drivers/types.js";
import { loadDefaultPolicy } from "../../station/assessment/index.js";
import { DoctorLists, type ListAuditEvent } from "../../station/doctor-lists/index.js";
import type { CheckupRecord, RosterEntry } from "../../station/domain/schema.js";
import { loadRoster } from "../../station/roster/roster.js";
import { createFileStore } from "../../station/storage/file-store.js";
import { silentLogger } from "../../station/util/logger.js";
import { projectRoot } from "../../station/util/project-root.js";

export const demoRoster = loadRoster(join(projectRoot(), "station/data/demo-roster.json"));
export const at = (day: string, hour = 9) =>
  Date.parse(`${day}T${String(hour).padStart(2, "0")}:00:00+08:00`);

export interface Rig {
  dir: string;
  lists: DoctorLists;
  audit: ListAuditEvent[];
  printed: Slip[];
  setToday(d: string): void;
}

/** A DoctorLists over a real file store in a temp folder, holding `records`, for `roster`. */
export async function rig(
  roster: readonly RosterEntry[],
  records: CheckupRecord[],
  today: string,
  dir?: string,
): Promise<Rig> {
  const root = dir ?? (await mkdtemp(join(tmpdir(), "hs-lists-")));
  const store = createFileStore({ dir: join(root, "data") });
  await store.open();
  for (const r of records) await store.save(r);
  await store.close();
  let day = today;
  const audit: ListAuditEvent[] = [];
  const printed: Slip[] = [];
  const printer = { print: async (s: Slip) => void printed.push(s) } as unknown as Printer;
  const lists = new DoctorLists({
    dataDir: join(root, "data"),
    roster: () => roster,
    policy: loadDefaultPolicy,
    today: () => day,
    now: () => new Date(at(day, 10)),
    stationId: "demo-0001",
    county: "demo-county",
    clinicName: "演示村卫生室",
    printer: () => printer,
    audit: (e) => void audit.push(e),
    logger: silentLogger,
  });
  await lists.start();
  await lists.ready();
  return { dir: root, lists, audit, printed, setToday: (d) => (day = d) };
}
