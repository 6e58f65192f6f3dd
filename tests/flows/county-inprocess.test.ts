/**
 * startCounty() in-process, the way the station's demo runs it: built output, an embedded
 * Aedes broker (no $share, so sharedSubscription: false), the file store.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Aedes } from "aedes";
import mqtt from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CountyHandle, startCounty as StartCounty } from "../../flows/county.js";
import type { AckMessage } from "../../station/mqtt/contract.js";
import { COUNTY, makeMessage, recordId, STATION } from "./fixtures.js";
import { type Built, buildDist } from "./helpers/dist-build.js";

describe("startCounty in-process against an embedded Aedes broker", () => {
  let built: Built;
  let dir: string;
  let server: Server;
  let broker: Aedes;
  let url: string;
  let county: CountyHandle | undefined;
  beforeAll(async () => {
    built = await buildDist();
    dir = await mkdtemp(join(tmpdir(), "hs-inproc-"));
    broker = await Aedes.createBroker();
    server = createServer(broker.handle);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    url = `mqtt://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await county?.stop();
    await new Promise<void>((r) => broker.close(() => r()));
    await new Promise<void>((r) => server.close(() => r()));
    await built?.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it("starts, connects, stores a record and acks it, and refuses a second county in the process", async () => {
    const mod = (await import(pathToFileURL(built.countyJs).href)) as { startCounty: typeof StartCounty };
    const config = {
      county: COUNTY,
      dataDir: join(dir, "data"),
      broker: { url, sharedSubscription: false },
      store: { kind: "file" as const, dir: join(dir, "store") },
      http: { port: 0, editor: false },
      credentialSecret: "demo-secret-0123456789",
    };
    county = await mod.startCounty(config);
    for (let i = 0; i < 200 && !county.connected(); i++) await new Promise((r) => setTimeout(r, 50));
    expect(county.connected()).toBe(true);
    await expect(mod.startCounty(config)).rejects.toThrow(/already running/);

    const station = await mqtt.connectAsync(url, { protocolVersion: 4, reconnectPeriod: 0 });
    const ack = new Promise<AckMessage>((resolve) =>
      station.on("message", (_t, p) => resolve(JSON.parse(p.toString()) as AckMessage)),
    );
    await station.subscribeAsync(`hs/v1/${COUNTY}/${STATION}/ack`, { qos: 1 });
    // Like a station: send, and send again until acked (the receiver may still be subscribing).
    const msg = JSON.stringify(makeMessage({ n: 1 }));
    await station.publishAsync(`hs/v1/${COUNTY}/${STATION}/record`, msg, { qos: 1 });
    const resend = setInterval(
      () => void station.publishAsync(`hs/v1/${COUNTY}/${STATION}/record`, msg, { qos: 1 }),
      1000,
    );
    const got = await ack;
    clearInterval(resend);
    await station.endAsync();
    expect(got.acks[0]).toMatchObject({ id: recordId(1) });
    expect(["stored", "duplicate"]).toContain(got.acks[0]!.status);
    expect(await county.store.count()).toBe(1);
    expect(county.totals()).toMatchObject({ stored: 1 });
  });
});
