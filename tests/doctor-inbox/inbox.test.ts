// DoctorInbox over a real file store: the superseded link is written intent first, so a failed
// save or a power cut between the two never leaves a record corrected twice or marked corrected
// without its correction.
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DoctorInbox } from "../../station/doctor-inbox/index.js";
import { dateIn } from "../../station/domain/id-number.js";
import { CheckupRecord } from "../../station/domain/schema.js";
import { HelpStore } from "../../station/help/help-store.js";
import { createFileStore } from "../../station/storage/file-store.js";
import type { RecordStore } from "../../station/storage/types.js";
import { silentLogger } from "../../station/util/logger.js";
import { idNumber, makeRecord, rejectedSync } from "../storage/fixtures/records.js";

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const o of open.splice(0)) await o.close();
});

async function rig(dir?: string, wrap: (s: RecordStore) => RecordStore = (s) => s) {
  const d = dir ?? (await mkdtemp(join(tmpdir(), "inbox-")));
  const store = createFileStore({ dir: d, logger: silentLogger });
  await store.open();
  const help = new HelpStore({ dir: d });
  await help.start();
  const events: string[] = [];
  const inbox = new DoctorInbox({
    dataDir: d,
    store: () => wrap(store),
    help,
    stationId: "st-test-01",
    now: () => Date.now(),
    clockSuspect: () => false,
    today: (ms) => dateIn(ms, "Asia/Shanghai"),
    assess: () => null,
    personKey: () => "k",
    audit: async (e) => {
      events.push(e.type);
    },
    onSaved: () => {},
    logger: silentLogger,
  });
  await inbox.start();
  open.push({
    close: async () => {
      await inbox.stop();
      await help.stop();
      await store.close();
    },
  });
  return { dir: d, store, inbox, events };
}

const rejected = () =>
  CheckupRecord.parse(
    makeRecord({ seq: 1, person: idNumber("20300101", 11), sync: rejectedSync("id-number: bad") }),
  );
const fix = (id: string) => ({
  recordId: id,
  reason: "typing-error" as const,
  idNumber: idNumber("19300101", 11),
});

describe("DoctorInbox corrections", () => {
  it("a save that fails leaves the record uncorrected, and it can be corrected again", async () => {
    let failSave = true;
    // The file store's methods use private fields: forward them bound, fail only the correction.
    const r = await rig(
      undefined,
      (s) =>
        new Proxy(s, {
          get(target, key) {
            if (key === "save")
              return async (rec: CheckupRecord) => {
                if (failSave && rec.schemaVersion === 3) throw new Error("disk full");
                return target.save(rec);
              };
            const v = Reflect.get(target, key);
            return typeof v === "function" ? v.bind(target) : v;
          },
        }),
    );
    const original = rejected();
    await r.store.save(original);
    await expect(r.inbox.correct(fix(original.id), "dr-wang")).rejects.toThrow("disk full");
    expect(r.inbox.isSuperseded(original.id)).toBe(false);
    expect(r.events).toEqual([]);
    failSave = false;
    const ok = await r.inbox.correct(fix(original.id), "dr-wang");
    expect(r.inbox.isSuperseded(original.id)).toBe(true);
    expect(r.events).toEqual(["record-corrected"]);
    await expect(r.inbox.correct(fix(original.id), "dr-wang")).rejects.toMatchObject({
      code: "already-corrected",
    });
    expect((await r.inbox.rejected()).map((x) => x.supersededBy)).toEqual([ok.recordId]);
  });

  it("an intent whose record never reached the store (power cut) is dropped at start", async () => {
    const r = await rig();
    const original = rejected();
    await r.store.save(original);
    const file = join(r.dir, "doctor-inbox", "corrections.json");
    // As a power cut after the intent and before the save leaves it.
    await writeFile(
      file,
      JSON.stringify({ version: 1, supersededBy: { [original.id]: "019ad3f0-0000-7000-8000-0000000000ff" } }),
    );
    for (const o of open.splice(0)) await o.close();
    const again = await rig(r.dir);
    expect(again.inbox.isSuperseded(original.id)).toBe(false);
    expect(JSON.parse(await readFile(file, "utf8")).supersededBy).toEqual({});
    const ok = await again.inbox.correct(fix(original.id), "dr-wang");
    expect((await again.store.get(ok.recordId))?.schemaVersion).toBe(3);
  });
});
