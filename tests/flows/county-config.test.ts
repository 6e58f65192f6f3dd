import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { resolveConfig } from "../../flows/county-config.js";
import { buildCountyFlow, type FlowNode, mergeFlows } from "../../flows/county-flow.js";

const BASE = {
  county: "demo-county",
  dataDir: "data",
  broker: {
    url: "mqtts://broker.county.example:8883",
    caFile: "ca.pem",
    username: "archive",
    password: "pw",
  },
  store: { kind: "file", dir: "store" },
  credentialSecret: "a-long-enough-secret",
};
const template = JSON.parse(
  readFileSync(join(import.meta.dirname, "../../flows/county-archive.json"), "utf8"),
) as FlowNode[];
const node = (flows: FlowNode[], id: string) => flows.find((n) => n.id === id);

describe("county config", () => {
  it("resolves relative paths against the config folder and applies env secrets", () => {
    const c = resolveConfig(BASE, "/etc/hs", { HS_MQTT_PASSWORD: "from-env" });
    expect(c.dataDir).toBe("/etc/hs/data");
    expect(c.broker.caFile).toBe("/etc/hs/ca.pem");
    expect(c.store).toEqual({ kind: "file", dir: "/etc/hs/store" });
    expect(c.broker.password).toBe("from-env");
    expect(c.broker.sharedSubscription).toBe(true);
  });

  it("refuses to start, listing every problem with its path", () => {
    const bad = { ...BASE, county: "Bad County", broker: { url: "http://x" }, store: { kind: "s3" } };
    expect(() => resolveConfig(bad, "/", {})).toThrow(/county:[\s\S]*broker\.url:[\s\S]*store/);
  });

  it("requires a credential secret from the file or HS_CREDENTIAL_SECRET", () => {
    const { credentialSecret: _, ...noSecret } = BASE;
    expect(() => resolveConfig(noSecret, "/", {})).toThrow(/credentialSecret/);
    expect(
      resolveConfig(noSecret, "/", { HS_CREDENTIAL_SECRET: "x".repeat(16) }).credentialSecret,
    ).toHaveLength(16);
  });

  it("requires a PostgreSQL URL for the postgres store, from the file or HS_ARCHIVE_PG_URL", () => {
    const pg = { ...BASE, store: { kind: "postgres" } };
    expect(() => resolveConfig(pg, "/", {})).toThrow(/store\.url/);
    const c = resolveConfig(pg, "/", { HS_ARCHIVE_PG_URL: "postgres://db/archive" });
    expect(c.store).toMatchObject({ kind: "postgres", url: "postgres://db/archive" });
  });
});

describe("county flow", () => {
  it("wires TLS with the CA file, the shared subscription at QoS 1, and keeps secrets out of the flow", () => {
    const { flows, credentials } = buildCountyFlow(template, resolveConfig(BASE, "/etc/hs", {}));
    expect(node(flows, "hs-broker")).toMatchObject({ broker: BASE.broker.url, usetls: true, tls: "hs-tls" });
    expect(node(flows, "hs-tls")).toMatchObject({ ca: "/etc/hs/ca.pem", verifyservercert: true });
    expect(node(flows, "hs-mqtt-in")).toMatchObject({
      topic: "$share/archive/hs/v1/demo-county/+/record",
      qos: "1",
      datatype: "buffer",
    });
    expect(node(flows, "hs-mqtt-in-audit")).toMatchObject({
      topic: "$share/archive/hs/v1/demo-county/+/audit",
      qos: "1",
      wires: [["hs-receiver"]],
    });
    expect(node(flows, "hs-mqtt-in-outcome")).toMatchObject({
      topic: "$share/archive/hs/v1/demo-county/+/outcome",
      qos: "1",
      wires: [["hs-receiver"]],
    });
    expect(JSON.stringify(flows)).not.toContain("pw");
    expect(credentials).toEqual({ "hs-broker": { user: "archive", password: "pw" } });
  });

  it("drops the TLS node for plain MQTT and subscribes without $share when the broker lacks it", () => {
    const c = resolveConfig(
      { ...BASE, broker: { url: "mqtt://127.0.0.1:1883", sharedSubscription: false } },
      "/etc/hs",
      {},
    );
    const { flows } = buildCountyFlow(template, c);
    expect(node(flows, "hs-tls")).toBeUndefined();
    expect(node(flows, "hs-broker")).toMatchObject({ usetls: false, tls: "" });
    expect(node(flows, "hs-mqtt-in")!.topic).toBe("hs/v1/demo-county/+/record");
    expect(node(flows, "hs-mqtt-in-outcome")!.topic).toBe("hs/v1/demo-county/+/outcome");
  });

  it("replaces its own nodes in an existing flow file and keeps a county's other nodes", () => {
    const { flows } = buildCountyFlow(template, resolveConfig(BASE, "/", {}));
    const existing: FlowNode[] = [
      { ...node(flows, "hs-broker")!, broker: "mqtt://old:1883" },
      { id: "dash-tab", type: "tab" },
      { id: "dash-1", type: "debug", z: "dash-tab" },
    ];
    const merged = mergeFlows(existing, flows);
    expect(merged.filter((n) => n.id === "hs-broker")).toHaveLength(1);
    expect(node(merged, "hs-broker")!.broker).toBe(BASE.broker.url);
    expect(merged.map((n) => n.id)).toEqual(expect.arrayContaining(["dash-tab", "dash-1"]));
  });
});
