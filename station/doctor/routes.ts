/**
 * HTTP routes of the doctor's console, all POST under /api/doctor/, mounted by the station
 * server. Who may call them:
 *   - every route: only the kiosk's own page (guard.ts: Host, Origin, JSON body);
 *   - doctors, card-wait, sign-in: anyone at the kiosk (the PIN and the lockout guard sign-in);
 *   - everything else: the signed-in doctor's session cookie, checked on every request.
 * A refused request changes nothing.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { z } from "zod";
import { checkBpReading } from "../assessment/bp.js";
import { glucosePlausible } from "../assessment/glucose.js";
import { formatIssues } from "../domain/schema.js";
import { localDate } from "../runtime/clock.js";
import { readJson, sendJson } from "../server/http-util.js";
import { StationError, toEnvelope } from "../util/errors.js";
import { clockSuspect } from "../workflow/record.js";
import type { DoctorConsole } from "./console.js";
import { buildFollowUpRecord, computeVisitClass, defaultNextVisit, FollowUpRequest } from "./followup.js";
import { CLEAR_COOKIE, checkRequest, sessionCookie, tokenFrom } from "./guard.js";
import {
  AssistedRequest,
  AuditListRequest,
  CardWaitRequest,
  ManualIdRequest,
  ManualReadingRequest,
  SignInRequest,
  SymptomsRequest,
} from "./requests.js";
import type { DoctorSession } from "./sign-in.js";

export const PREFIX = "/api/doctor/";

const STATUS: Record<string, number> = {
  "forbidden-host": 403,
  "forbidden-origin": 403,
  "method-not-allowed": 405,
  "unsupported-media-type": 415,
  "doctor-required": 401,
  "session-invalid": 401,
  "session-expired": 401,
  "pin-wrong": 401,
  "locked-out": 429,
  "not-found": 404,
};

function parse<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const r = schema.safeParse(body);
  if (!r.success) throw new StationError("bad-request", formatIssues(r.error).join("; "));
  return r.data;
}

type Handler = (body: unknown, s: DoctorSession, res: ServerResponse) => Promise<unknown> | unknown;

export function doctorRoutes(c: DoctorConsole, hosts: () => ReadonlySet<string>) {
  const today = () => localDate(c.o.now(), c.o.station.timezone);

  const open: Record<string, (body: unknown, res: ServerResponse) => Promise<unknown> | unknown> = {
    doctors: () => c.doctors.all().map((d) => ({ id: d.id, name: d.name, card: Boolean(d.idNumberHash) })),
    "card-wait": (b) => {
      c.cardWait(parse(CardWaitRequest, b).on);
      return { ok: true };
    },
    "sign-in": async (b, res) => {
      const r = parse(SignInRequest, b);
      const s = await c.signIn.signIn(r.doctorId, r.pin, r.via);
      res.setHeader("set-cookie", sessionCookie(s.token));
      return { doctor: { id: s.doctorId, name: s.name }, idleSeconds: c.o.config.idleSeconds };
    },
  };

  const guarded: Record<string, Handler> = {
    session: (_b, s) => ({ doctor: { id: s.doctorId, name: s.name }, idleSeconds: c.o.config.idleSeconds }),
    touch: () => ({ ok: true }),
    "sign-out": (_b, s, res) => {
      c.signIn.signOut(s.token);
      res.setHeader("set-cookie", CLEAR_COOKIE);
      return { ok: true };
    },
    assisted: (b, s) => {
      const r = parse(AssistedRequest, b);
      c.setAssisted(r.on ? s.doctorId : null, r.sampleType);
      return { ok: true };
    },
    "manual-id": async (b, s) => {
      const r = parse(ManualIdRequest, b);
      const sampleType = (c.o.hub.get("doctor/session")?.assisted?.sampleType ?? null) as never;
      const person = c.o.runtime.manualId(r.idNumber, r.name, {
        doctorId: s.doctorId,
        idEntryReason: r.reason,
        sampleType,
      });
      await c.audit({
        type: "manual-id",
        doctorId: s.doctorId,
        personKey: c.personKey(person.idNumber),
        ...(c.current() ? { recordId: c.current()?.recordId } : {}),
        detail: { reason: r.reason },
      });
      return { ok: true };
    },
    consent: async (_b, s) => {
      const cur = requireCheckup(c, ["identified", "consent"]);
      c.o.runtime.doctorAction({ type: "verbal-consent" });
      await c.audit({ type: "consent-verbal", doctorId: s.doctorId, ...cur });
      return { ok: true };
    },
    symptoms: async (b, s) => {
      const r = parse(SymptomsRequest, b);
      const cur = requireCheckup(c, ["identified", "consent", "bp", "glucose"]);
      c.o.runtime.doctorAction({ type: "danger-symptoms", codes: r.codes });
      await c.audit({
        type: "danger-symptoms",
        doctorId: s.doctorId,
        ...cur,
        detail: { count: r.codes.length },
      });
      return { ok: true };
    },
    "manual-reading": async (b, s) => {
      const r = parse(ManualReadingRequest, b);
      const takenAt = new Date(c.o.now()).toISOString();
      const device = { kind: r.kind, model: "manual", transport: "manual" } as const;
      if (r.kind === "bp") {
        const cur = requireCheckup(c, ["bp"]);
        const reading = {
          kind: "bp" as const,
          systolic: r.systolic,
          diastolic: r.diastolic,
          pulse: r.pulse,
          unit: "mmHg",
          statusFlags: [],
          takenAt,
          source: "manual",
          device,
        };
        const check = checkBpReading(reading);
        if (!check.ok)
          throw new StationError("reading-implausible", `读数不可能：${check.message} / ${check.message}`);
        c.o.runtime.doctorAction({ type: "manual-bp", reading, reason: r.reason });
        await c.audit({
          type: "manual-reading",
          doctorId: s.doctorId,
          ...cur,
          detail: { kind: "bp", reason: r.reason },
        });
      } else {
        const cur = requireCheckup(c, ["glucose"]);
        if (!glucosePlausible(r.mmolL))
          throw new StationError(
            "reading-implausible",
            `读数不可能：血糖 ${r.mmolL} mmol/L / impossible reading: glucose ${r.mmolL} mmol/L`,
          );
        const reading = {
          kind: "glucose" as const,
          mmolL: r.mmolL,
          sampleType: r.sampleType,
          takenAt,
          source: "manual",
          device,
        };
        c.o.runtime.doctorAction({
          type: "manual-glucose",
          reading,
          sampleType: r.sampleType,
          reason: r.reason,
        });
        await c.audit({
          type: "manual-reading",
          doctorId: s.doctorId,
          ...cur,
          detail: { kind: "glucose", reason: r.reason },
        });
      }
      return { ok: true };
    },
    "follow-up/preview": async (b) => {
      const r = parse(FollowUpRequest, b);
      const checkup = await c.o.store.get(r.checkupRecordId);
      if (!checkup) throw new StationError("not-found", "没有这条检查记录 / no such check-up record");
      const computed = computeVisitClass(r.programmes, checkup.assessment);
      return { computed, nextVisit: computed ? defaultNextVisit(today(), computed) : null };
    },
    "follow-up": async (b, s) => {
      const r = parse(FollowUpRequest, b);
      const checkup = await c.o.store.get(r.checkupRecordId);
      if (!checkup) throw new StationError("not-found", "没有这条检查记录 / no such check-up record");
      const nowMs = c.o.now();
      let record: ReturnType<typeof buildFollowUpRecord>;
      try {
        record = buildFollowUpRecord(r, checkup, {
          doctorId: s.doctorId,
          stationId: c.o.station.id,
          seq: await c.o.store.nextSeq(),
          nowMs,
          today: today(),
          clockSuspect: clockSuspect(nowMs, null),
        });
      } catch (e) {
        throw new StationError("visit-class-unknown", (e as Error).message);
      }
      await c.o.store.save(record);
      c.o.onSaved?.(record);
      const f = record.schemaVersion === 2 ? record.followUp : null;
      await c.audit({
        type: "follow-up",
        doctorId: s.doctorId,
        recordId: record.id,
        personKey: c.personKey(record.person.idNumber),
        detail: { checkupRecordId: checkup.id, visitClass: f?.visitClass ?? "" },
      });
      return { recordId: record.id, visitClass: f?.visitClass, nextVisit: f?.nextVisit };
    },
    audit: async (b) => {
      const { limit } = parse(AuditListRequest, b);
      return (await c.auditLog.read()).slice(-limit);
    },
  };

  return async function handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const name = path.slice(PREFIX.length);
    try {
      checkRequest(req, hosts());
      const body = await readJson(req);
      const o = open[name];
      if (o) return sendJson(res, 200, await o(body, res));
      const g = guarded[name];
      if (!g) throw new StationError("not-found", `no route POST ${path}`);
      const s = c.signIn.check(tokenFrom(req));
      return sendJson(res, 200, await g(body, s, res));
    } catch (err) {
      if (!(err instanceof StationError)) c.o.logger.error(`doctor route ${name} failed`, err);
      const env = toEnvelope(err);
      const details = err instanceof StationError ? err.details : undefined;
      sendJson(res, STATUS[env.code] ?? (err instanceof StationError ? 400 : 500), { ...env, details });
    }
  };
}

function requireCheckup(c: DoctorConsole, steps: string[]): { recordId: string; personKey: string } {
  const m = c.o.runtime.model;
  const cur = c.current();
  if (!cur || !steps.includes(m.step) || !("session" in m) || !m.session.assisted)
    throw new StationError("wrong-step", "现在不能这样操作 / not possible at this step");
  return cur;
}
