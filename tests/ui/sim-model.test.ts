import { describe, expect, it } from "vitest";
import { createSimModel, type FetchLike } from "../../ui/src/sim/sim-model.js";
import { bpReady, FakeClient } from "./fakes.js";

function setup(reply: (url: string, body: unknown) => { status: number; json: unknown }) {
  const calls: Array<{ url: string; method: string; body: unknown }> = [];
  const fetchFn: FetchLike = async (url, init) => {
    const body = init?.body === undefined ? undefined : JSON.parse(init.body);
    calls.push({ url, method: init?.method ?? "GET", body });
    const r = reply(url, body);
    return { ok: r.status < 400, status: r.status, json: async () => r.json };
  };
  const client = new FakeClient();
  const model = createSimModel(client, fetchFn, () => new Date("2025-11-22T02:03:04Z"));
  return { model, calls, client };
}

describe("SimModel", () => {
  it("searches the roster with the query and a limit of 20", async () => {
    const villager = {
      ref: "r3",
      maskedId: "1101**********002X",
      name: "张三丰",
      village: "东村",
      categories: [],
      age: 76,
    };
    const { model, calls } = setup(() => ({ status: 200, json: [villager] }));
    await model.search("张 三");
    expect(calls[0]).toEqual({
      url: "/api/sim/roster?q=%E5%BC%A0+%E4%B8%89&limit=20",
      method: "GET",
      body: undefined,
    });
    expect(model.roster.value).toEqual([villager]);
  });

  it("posts device commands and UI actions with the documented bodies", async () => {
    const { model, calls } = setup(() => ({ status: 200, json: { ok: true } }));
    await model.presentCard("r3");
    await model.cardFault("expired");
    await model.removeCard();
    await model.bp("high");
    await model.glucose("low");
    await model.action({ type: "sample-type", sampleType: "fasting" });
    expect(calls.map((c) => [c.method, c.url, c.body])).toEqual([
      ["POST", "/api/sim/card", { ref: "r3" }],
      ["POST", "/api/sim/card", { fault: "expired" }],
      ["POST", "/api/sim/card/remove", {}],
      ["POST", "/api/sim/bp", { profile: "high" }],
      ["POST", "/api/sim/glucose", { profile: "low" }],
      ["POST", "/api/sim/action", { type: "sample-type", sampleType: "fasting" }],
    ]);
    expect(model.log.value[0]).toMatchObject({ ok: true, at: "02:03:04" });
  });

  it("logs a refused call with the server's error text", async () => {
    const { model } = setup(() => ({
      status: 409,
      json: { status: "error", code: "not-on-roster", error: "no roster villager" },
    }));
    expect(await model.presentCard("1")).toBeNull();
    expect(model.log.value[0]).toMatchObject({ ok: false, detail: "409 no roster villager" });
  });

  it("follows the live state from the WebSocket", () => {
    const { model, client } = setup(() => ({ status: 200, json: null }));
    client.emit({ topic: "workflow/state", payload: bpReady });
    expect(model.view.value?.step).toBe("bp");
  });
});
