/**
 * The county archive stores the doctors' audit logs and list outcomes (issue 10 §3, §5): each
 * event once by id, acked to the station; a malformed or misaddressed message is refused with a
 * reason against each event id it names, and one naming none goes to the dead letters.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { v7 as uuidv7 } from "uuid";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FileArchiveStore } from "../../flows/archive/file-store.js";
import { PostgresArchiveStore } from "../../flows/archive/pg-store.js";
import { type BatchOutcome, ReceiverCore } from "../../flows/archive/receiver-core.js";
import { loadValidators } from "../../flows/archive/schemas.js";
import type { ArchiveStore } from "../../flows/archive/store.js";
import { type PgTestServer, startPgTestServer } from "../../scripts/pg-test-server.js";
import type { AuditEvent } from "../../station/doctor/audit.js";
import type { OutcomeEvent } from "../../station/doctor-lists/outcome-message.js";
import { topics } from "../../station/mqtt/contract.js";

const COUNTY = "demo-county";
const ST = "st-a-0001";
const validators = loadValidators();

function auditEvent(seq: number, extra: Partial<AuditEvent> = {}): AuditEvent {
  return {
    v: 1,
    id: uuidv7(),
    seq,
    at: "2026-04-01T02:00:00.000Z",
    stationId: ST,
    type: "sign-in",
    doctorId: "dr-wang",
    ...extra,
  };
}
function outcomeEvent(extra: Partial<OutcomeEvent> = {}): OutcomeEvent {
  return {
    v: 1,
    id: uuidv7(),
    kind: "agreed",
    programme: "hypertension",
    nextDue: "2026-04-10",
    personKey: "abcdefghij_klmnopq-rst",
    doctorId: "dr-wang",
    at: "2026-04-01T02:00:00.000Z",
    day: "2026-04-01",
    hideUntil: "2026-04-08",
    ...extra,
  };
}
const auditMsg = (events: AuditEvent[], stationId = ST) =>
  JSON.stringify({ v: 1, type: "audit", stationId, sentAt: "2026-04-01T02:00:01.000Z", events });
const outcomeMsg = (outcomes: OutcomeEvent[], stationId = ST) =>
  JSON.stringify({ v: 1, type: "outcomes", stationId, sentAt: "2026-04-01T02:00:01.000Z", outcomes });

// The same behaviour from the file store and from a real PostgreSQL (as the other pg tests start it).
let pgServer: PgTestServer | null = null;
let tableNo = 0;
beforeAll(async () => {
  pgServer = await startPgTestServer();
});
afterAll(async () => {
  await pgServer?.stop();
});
const stores: Array<[string, (dir: string) => () => ArchiveStore]> = [
  ["file store", (dir) => () => new FileArchiveStore({ dir })],
  [
    "PostgreSQL store",
    () => {
      const table = `ev${++tableNo}_records`;
      return () => new PostgresArchiveStore({ url: pgServer!.url, table });
    },
  ],
];

describe.each(stores)("archive receiver: audit events and outcomes (%s)", (_name, makeStore) => {
  let dir: string;
  let store: ArchiveStore;
  let reopen: () => ArchiveStore;
  let batches: BatchOutcome[];
  let core: ReceiverCore;
  const dropped: string[] = [];
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "hs-events-"));
    reopen = makeStore(dir);
    store = reopen();
    await store.open();
    batches = [];
    dropped.length = 0;
    core = new ReceiverCore({
      store,
      validators,
      onBatch: (b) => batches.push(b),
      onDrop: (d) => dropped.push(d.reason),
    });
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });
  const send = async (topic: string, payload: string) => {
    const p = core.accept(topic, Buffer.from(payload));
    await core.flush();
    await p;
  };
  const acks = () =>
    batches.flatMap((b) => b.acks.flatMap((a) => a.payload.acks.map((x) => ({ topic: a.topic, ...x }))));

  it("stores audit events and outcomes once each and acks every id to the sending station", async () => {
    const a1 = auditEvent(1);
    const a2 = auditEvent(2, { type: "person-viewed", personKey: "abcdefghij_klmnopq-rst" });
    const o1 = outcomeEvent();
    const o2 = outcomeEvent({ kind: "removed", reason: "moved", programme: "referral", recordId: uuidv7() });
    delete o2.nextDue;
    delete o2.hideUntil;
    await send(topics.audit(COUNTY, ST), auditMsg([a1, a2]));
    await send(topics.outcome(COUNTY, ST), outcomeMsg([o1, o2]));
    // At least once: the station re-sends after an outage; nothing is stored twice.
    await send(topics.audit(COUNTY, ST), auditMsg([a2]));
    await send(topics.outcome(COUNTY, ST), outcomeMsg([o1]));
    const ackTopic = topics.ack(COUNTY, ST);
    expect(acks()).toEqual([
      { topic: ackTopic, id: a1.id, status: "stored" },
      { topic: ackTopic, id: a2.id, status: "stored" },
      { topic: ackTopic, id: o1.id, status: "stored" },
      { topic: ackTopic, id: o2.id, status: "stored" },
      { topic: ackTopic, id: a2.id, status: "duplicate" },
      { topic: ackTopic, id: o1.id, status: "duplicate" },
    ]);
    expect((await store.listEvents!("audit")).map((e) => e.event)).toEqual([a1, a2]);
    expect((await store.listEvents!("outcome")).map((e) => e.event)).toEqual([o1, o2]);
    expect(core.totals).toMatchObject({ eventsStored: 4, eventDuplicates: 2, stored: 0 });
    expect(await store.count()).toBe(0);
  });

  it("refuses malformed and misaddressed messages with a reason, storing nothing", async () => {
    const bad = outcomeEvent({ kind: "removed" }); // schema-valid, but see below
    const noId = { ...outcomeEvent(), doctorId: "" }; // schema: doctorId minLength 1
    await send(topics.outcome(COUNTY, ST), outcomeMsg([noId]));
    // Another station's events on this station's topic.
    const foreign = auditEvent(1, { stationId: "st-b-0002" });
    await send(topics.audit(COUNTY, ST), auditMsg([foreign]));
    await send(topics.outcome(COUNTY, ST), outcomeMsg([bad], "st-b-0002"));
    // An ID number smuggled into an audit detail: the zod contract refuses it.
    const leaky = auditEvent(2, { detail: { note: "110101199003077777" } });
    await send(topics.audit(COUNTY, ST), auditMsg([leaky]));
    // Not JSON, but an id is readable in its head.
    const torn = auditEvent(3);
    await send(topics.audit(COUNTY, ST), auditMsg([torn]).slice(0, -5));
    const got = acks();
    expect(got.map((a) => [a.id, a.status, a.code])).toEqual([
      [noId.id, "rejected", "schema"],
      [foreign.id, "rejected", "topic-mismatch"],
      [bad.id, "rejected", "topic-mismatch"],
      [leaky.id, "rejected", "event-invalid"],
      [torn.id, "rejected", "invalid-json"],
    ]);
    expect(got[0]!.reason).toMatch(/doctorId/);
    expect(got[3]!.reason).toMatch(/no ID numbers/);
    expect(await store.listEvents!("audit")).toEqual([]);
    expect(await store.listEvents!("outcome")).toEqual([]);
    expect(core.totals.eventsRejected).toBe(5);
  });

  it("sends a message that names no event id to the dead letters, and acks nothing", async () => {
    await send(topics.audit(COUNTY, ST), "not json at all");
    await send(topics.outcome(COUNTY, ST), JSON.stringify({ v: 1, type: "outcomes", outcomes: [] }));
    expect(acks()).toEqual([]);
    expect(dropped).toHaveLength(2);
    expect(dropped[0]).toMatch(/no event id/);
  });

  it("keeps what it stored across a restart of the archive", async () => {
    const a1 = auditEvent(1);
    await send(topics.audit(COUNTY, ST), auditMsg([a1]));
    await store.close();
    store = reopen();
    await store.open();
    core = new ReceiverCore({ store, validators, onBatch: (b) => batches.push(b) });
    await send(topics.audit(COUNTY, ST), auditMsg([a1]));
    expect(acks().map((a) => a.status)).toEqual(["stored", "duplicate"]);
    expect((await store.listEvents!("audit")).map((e) => e.id)).toEqual([a1.id]);
  });
});
