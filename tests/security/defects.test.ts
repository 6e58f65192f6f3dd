/**
 * The smaller defects of issue 12 §6, each pinned: a bad % in a path, unknown fields in a UI
 * action, a log flood from clients that hang up, and names carrying control or bidi characters.
 */
import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { nameProblem } from "../../station/domain/names.js";
import { ClientMessage, UiAction } from "../../station/protocol.js";
import { identifyFromCard, identifyManual } from "../../station/runtime/identify.js";
import { limitedLog } from "../../station/server/log-limit.js";
import { cardFor } from "../../station/server/sim-api.js";
import { createLogger, type Level } from "../../station/util/logger.js";
import { OTHER, ROSTER } from "../workflow/fixtures.js";
import { kioskHeaders, type Rig, raw, startRig } from "./lib.js";

const rigs: Rig[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.server.close();
});
async function rig(o: Parameters<typeof startRig>[0] = {}): Promise<Rig> {
  const r = await startRig(o);
  rigs.push(r);
  return r;
}

describe("a bad % in a path", () => {
  it("gets 400, not 500, on pages, assets and the API", async () => {
    const r = await rig();
    for (const path of ["/%", "/%E0%A4%A", "/assets/%zz.js", "/api/%", "/api/sim/%ff%", "/sim%"]) {
      const res = await raw(r.port, { path, headers: kioskHeaders(r.port, "GET") });
      expect(res.status, path).toBe(400);
      expect(JSON.parse(res.body)).toMatchObject({ code: "bad-path" });
    }
  });
});

describe("UiAction is strict", () => {
  it("rejects unknown fields, as docs/sim-api.md says", () => {
    expect(UiAction.safeParse({ type: "confirm" }).success).toBe(true);
    expect(UiAction.safeParse({ type: "confirm", operator: "doctor" }).success).toBe(false);
    expect(UiAction.safeParse({ type: "consent", accept: true, by: "x" }).success).toBe(false);
    expect(UiAction.safeParse({ type: "manual-id", idNumber: "1", operator: "doctor" }).success).toBe(false);
    const msg = { topic: "action", payload: { type: "touch" } };
    expect(ClientMessage.safeParse(msg).success).toBe(true);
    expect(ClientMessage.safeParse({ ...msg, extra: 1 }).success).toBe(false);
  });

  it("refuses one over HTTP and over /ws and changes nothing", async () => {
    const r = await rig();
    for (const path of ["/api/action", "/api/sim/action"]) {
      const res = await raw(r.port, {
        method: "POST",
        path,
        headers: kioskHeaders(r.port, "POST"),
        body: JSON.stringify({ type: "confirm", operator: "doctor" }),
      });
      expect(res.status).toBe(400);
    }
    const ws = new WebSocket(`ws://127.0.0.1:${r.port}/ws`);
    const error = await new Promise<string>((resolve) => {
      ws.on("message", (d) => {
        const m = JSON.parse(d.toString()) as { topic: string };
        if (m.topic === "error") resolve(d.toString());
      });
      ws.on("open", () =>
        ws.send(JSON.stringify({ topic: "action", payload: { type: "confirm", x: 1 }, transaction: "t" })),
      );
    });
    ws.close();
    expect(JSON.parse(error)).toMatchObject({ payload: { code: "bad-message", transaction: "t" } });
    expect(r.effects).toEqual([]);
  });
});

describe("log flood", () => {
  it("clients that hang up mid-request leave a bounded log", async () => {
    const lines: Array<[Level, string]> = [];
    const logger = createLogger("t", "info", (level, _ns, msg) => void lines.push([level, msg]));
    const r = await rig({ logger });
    const FLOOD = 300;
    await Promise.all(
      Array.from(
        { length: FLOOD },
        () =>
          new Promise<void>((resolve) => {
            const s = connect(r.port, "127.0.0.1", () => {
              s.write(
                `POST /api/action HTTP/1.1\r\nHost: 127.0.0.1:${r.port}\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"type":`,
              );
              setTimeout(() => s.destroy(), 20);
            });
            s.on("close", () => resolve());
            s.on("error", () => resolve());
          }),
      ),
    );
    // Let the server see every close before counting.
    await new Promise((res) => setTimeout(res, 300));
    expect(lines.filter(([l]) => l === "error").length).toBeLessThanOrEqual(10);
    expect(lines.length).toBeLessThanOrEqual(11);
    expect(r.effects).toEqual([]);
  });

  it("unexpected errors log at most 10 lines a minute, then say how many were left out", () => {
    const lines: Array<[Level, string]> = [];
    let t = 0;
    const log = limitedLog(
      createLogger("t", "debug", (level, _ns, msg) => void lines.push([level, msg])),
      { now: () => t },
    );
    for (let i = 0; i < 1000; i++) log.error(`boom ${i}`, new Error("x"));
    expect(lines).toHaveLength(10);
    t = 60_000;
    log.error("later", new Error("y"));
    expect(lines.slice(10)).toEqual([
      ["warn", "990 more request errors were not logged"],
      ["error", "later"],
    ]);
    log.aborted("route POST /api/action");
    expect(lines.at(-1)?.[0]).toBe("debug");
  });
});

describe("names", () => {
  const BAD = ["\u202E", "\u202A", "\u2066", "\u200B", "\u0000", "\u001B[31m", "\u0085", "\u2028", "\uFEFF"];

  it("refuse control, bidi-override and invisible format characters", () => {
    for (const ch of BAD) expect(nameProblem(`张${ch}三`), JSON.stringify(ch)).toBe("control-character");
    for (const ok of ["张三", "阿依古丽·买买提", "O'Brien", "欧阳 娜娜"]) expect(nameProblem(ok)).toBeNull();
  });

  it("on a card: the villager is sent to the doctor, nothing is identified", () => {
    const card = cardFor(ROSTER);
    expect(identifyFromCard(card, "2026-11-22").ok).toBe(true);
    for (const ch of BAD) {
      const r = identifyFromCard({ ...card, name: `杨${ch}金花` }, "2026-11-22");
      expect(r).toMatchObject({ ok: false, fault: { code: "name-invalid" } });
    }
  });

  it("typed by the doctor: refused by the protocol and by identification", () => {
    for (const ch of BAD) {
      const name = `李${ch}秀英`;
      expect(UiAction.safeParse({ type: "manual-id", idNumber: OTHER.idNumber, name }).success).toBe(false);
      expect(identifyManual(OTHER.idNumber, name, null, "2026-11-22")).toMatchObject({
        ok: false,
        fault: { code: "name-invalid" },
      });
    }
    expect(identifyManual(OTHER.idNumber, "李秀英", null, "2026-11-22").ok).toBe(true);
  });
});
