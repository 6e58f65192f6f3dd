/**
 * /api/sim: lets a person (the /sim page) or a script drive simulated devices. Only mounted
 * when the station runs on simulated devices; on hardware these routes do not exist.
 *
 * The roster may be a real county file even in sim mode, so no answer carries a full ID
 * number: villagers are listed with a masked number and a `ref` (their place in the roster
 * file, which says nothing about the number and stays the same across restarts), and a card is
 * presented by that ref. Search matches names and villages only, so it cannot be used to guess a
 * number digit by digit.
 */
import { z } from "zod";
import type { CardRead } from "../../drivers/types.js";
import type { SimControl } from "../devices/sim-devices.js";
import { ageOn, idCheckChar, maskIdNumber, parseIdNumber } from "../domain/id-number.js";
import { formatIssues, type RosterEntry } from "../domain/schema.js";
import { UiAction } from "../protocol.js";
import type { Roster } from "../roster/roster.js";
import { StationError } from "../util/errors.js";

const CardBody = z.union([
  z.object({ ref: z.string().min(1).max(64) }).strict(),
  z.object({ idNumber: z.string().min(1).max(32) }).strict(),
  z.object({ fault: z.enum(["expired", "invalid-id", "unreadable"]) }).strict(),
]);
const BpBody = z
  .object({
    profile: z.enum(["normal", "high", "urgent", "error", "implausible"]),
    systolic: z.number().optional(),
    diastolic: z.number().optional(),
    pulse: z.number().optional(),
  })
  .strict();
const GlucoseBody = z
  .object({
    profile: z.enum(["normal", "high", "low", "urgent-high", "error"]),
    mmolL: z.number().optional(),
  })
  .strict();
const DeviceBody = z
  .object({ name: z.enum(["cardReader", "bp", "glucose", "printer", "peripherals"]), plugged: z.boolean() })
  .strict();

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body);
  if (!r.success) throw new StationError("bad-request", formatIssues(r.error).join("; "));
  return r.data;
}

export function cardFor(p: RosterEntry, validTo: string | null = "2040-01-01"): CardRead {
  const info = parseIdNumber(p.idNumber);
  if (!info.ok) throw new StationError("bad-request", "roster entry has an invalid ID number");
  return {
    name: p.name,
    idNumber: p.idNumber,
    sex: info.value.sex,
    birthDate: info.value.birthDate,
    card: {
      issuer: "示范县公安局（演示）",
      validFrom: "2020-01-01",
      validTo,
      nation: "01",
      address: `${p.village}（演示）`,
    },
  };
}

export interface SimApiDeps {
  sim: SimControl;
  roster: Roster;
  today: () => string;
  action: (a: UiAction) => void;
}

export type SimRoute = (body: unknown, query: URLSearchParams) => unknown | Promise<unknown>;

/** A roster villager's ref: "r" and their index in the roster file. */
const refOf = (index: number) => `r${index}`;
function byRef(roster: Roster, ref: string): RosterEntry | null {
  const m = /^r(0|[1-9]\d{0,6})$/.exec(ref);
  return m ? (roster.all()[Number(m[1])] ?? null) : null;
}

export function simRoutes(d: SimApiDeps): Record<string, SimRoute> {
  return {
    "GET /api/sim/roster": (_b, q) => {
      const limit = Math.min(Math.max(Number(q.get("limit") ?? 20) || 20, 1), 200);
      const needle = (q.get("q") ?? "").trim();
      const today = d.today();
      const found: Array<[number, RosterEntry]> = [];
      for (const [i, p] of d.roster.all().entries()) {
        if (found.length >= limit) break;
        if (!needle || p.name.includes(needle) || p.village.includes(needle)) found.push([i, p]);
      }
      return found.map(([i, p]) => {
        const info = parseIdNumber(p.idNumber);
        return {
          ref: refOf(i),
          maskedId: maskIdNumber(p.idNumber),
          name: p.name,
          village: p.village,
          categories: p.categories,
          age: info.ok ? ageOn(info.value.birthDate, today) : null,
        };
      });
    },
    "POST /api/sim/card": async (body) => {
      const b = parse(CardBody, body);
      const first = d.roster.all()[0];
      if ("ref" in b) {
        const p = byRef(d.roster, b.ref);
        if (!p) throw new StationError("not-on-roster", "no roster villager with that ref");
        await d.sim.presentCard(cardFor(p));
      } else if ("idNumber" in b) {
        // A script that already knows a number (from its own roster file) may still use it.
        const p = d.roster.get(b.idNumber.trim().toUpperCase());
        if (!p) throw new StationError("not-on-roster", "no roster villager with that ID number");
        await d.sim.presentCard(cardFor(p));
      } else if (!first) {
        throw new StationError("roster-empty", "the roster is empty: no card to simulate");
      } else if (b.fault === "unreadable") {
        await d.sim.cardFault("unreadable", cardFor(first));
      } else {
        const card = cardFor(first, b.fault === "expired" ? "2020-01-01" : "2040-01-01");
        if (b.fault === "invalid-id") {
          // Flip the check character so only the check digit is wrong.
          const bad = idCheckChar(card.idNumber.slice(0, 17)) === "0" ? "1" : "0";
          card.idNumber = card.idNumber.slice(0, 17) + bad;
        }
        await d.sim.presentCard(card);
      }
      return { ok: true };
    },
    "POST /api/sim/card/remove": () => {
      d.sim.liftCard();
      return { ok: true };
    },
    "POST /api/sim/bp": (body) => {
      const b = parse(BpBody, body);
      const override = Object.fromEntries(
        (["systolic", "diastolic", "pulse"] as const).flatMap((k) => (b[k] === undefined ? [] : [[k, b[k]]])),
      );
      d.sim.measureBp(b.profile, override);
      return { ok: true };
    },
    "POST /api/sim/glucose": (body) => {
      const b = parse(GlucoseBody, body);
      d.sim.measureGlucose(b.profile, b.mmolL);
      return { ok: true };
    },
    "POST /api/sim/action": (body) => {
      d.action(parse(UiAction, body));
      return { ok: true };
    },
    "POST /api/sim/device": async (body) => {
      const b = parse(DeviceBody, body);
      await d.sim.setPlugged(b.name, b.plugged);
      return { ok: true };
    },
    "POST /api/sim/help": () => {
      d.sim.pressHelp();
      return { ok: true };
    },
  };
}
