/**
 * End to end on one station with its embedded county (broker + archive receiver, the demo's
 * shape): the archive rejects a check-up (an ID number whose birth year is in the future), the
 * doctor corrects it, and the correction lands in the archive exactly once, as a new v3 record
 * naming the one it supersedes. The rejected original stays on the station and never reaches
 * the archive.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CheckupRecord } from "../../station/domain/schema.js";
import { type Booted, bootStation, post, signIn } from "../doctor/harness.js";
import { idNumber, makeRecord } from "../storage/fixtures/records.js";

let st: Booted | null = null;
afterAll(async () => {
  await st?.stop();
});

const STATION = "demo-station-0001"; // the config default bootStation leaves in place
const status = async (id: string) => (await st!.app.store!.get(id))?.sync.status;

describe("a rejected record, corrected", () => {
  it("reaches the archive once, as a new version; the original stays rejected on the station", async () => {
    const dir = mkdtempSync(join(tmpdir(), "inbox-upload-"));
    const upload = { embeddedArchiveDir: join(dir, "archive") };
    // Saved while upload is off, so both wait in the outbox for the first connection.
    st = await bootStation(dir);
    const store = st.app.store!;
    const bad = CheckupRecord.parse({
      ...makeRecord({ seq: await store.nextSeq(), person: idNumber("20300101", 11) }),
      stationId: STATION,
    });
    const good = CheckupRecord.parse({
      ...makeRecord({ seq: await store.nextSeq(), person: idNumber("19500101", 13) }),
      stationId: STATION,
    });
    await store.save(bad);
    await store.save(good);
    await st.stop();

    st = await bootStation(dir, {}, undefined, upload);
    await expect.poll(() => status(bad.id), { timeout: 30_000, interval: 100 }).toBe("rejected");
    await expect.poll(() => status(good.id), { timeout: 30_000, interval: 100 }).toBe("acked");
    const rejected = await st.app.store!.get(bad.id);
    expect(rejected?.sync.rejectReason).toMatch(/^id-number: /);

    type Strip = { rejected: Array<{ id: string }> };
    const strip = () => (st!.app.hub.get("upload/status") as Strip).rejected.map((x) => x.id);
    await expect.poll(strip, { timeout: 10_000 }).toEqual([bad.id]);

    const cookie = await signIn(st.port);
    const fixed = idNumber("19300101", 11);
    const r = await post(
      st.port,
      "/api/doctor/inbox/rejected/correct",
      { recordId: bad.id, reason: "typing-error", idNumber: fixed },
      { cookie },
    );
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const newId = String(r.body.recordId);
    await expect.poll(() => status(newId), { timeout: 30_000, interval: 100 }).toBe("acked");
    // The status strip counts only rejections still to be dealt with.
    expect(strip()).toEqual([]);

    // The archive: the good record and the correction, each once; never the rejected original.
    const archive = st.app.embeddedCounty!.archive;
    const all = await archive.list({ limit: 1000 });
    expect(all.map((a) => a.message.record.id).sort()).toEqual([good.id, newId].sort());
    expect(await archive.count()).toBe(2);
    const stored = await archive.get(newId);
    expect(stored?.message.v).toBe(3);
    const rec = stored?.message.record;
    expect(rec?.schemaVersion === 3 ? rec.correction : null).toMatchObject({
      supersedes: bad.id,
      doctorId: "dr-wang",
      reason: "typing-error",
      rejectCode: "id-number",
    });
    expect(rec?.person.idNumber).toBe(fixed);
    expect(rec?.operator).toEqual({ kind: "doctor", doctorId: "dr-wang" });
    // The original is kept on the station, still rejected, unchanged.
    expect(await st.app.store!.get(bad.id)).toEqual(rejected);

    // A restart re-sends nothing twice: the archive still holds exactly these two.
    await st.stop();
    st = await bootStation(dir, {}, undefined, upload);
    expect(await st.app.store!.pendingCount()).toBe(0);
    expect(await st.app.embeddedCounty!.archive.count()).toBe(2);
  }, 120_000);
});
