/**
 * Doctor sign-in and the one console session. A PIN is checked only when the doctor is not
 * locked out; a wrong one is written to the lockout file and the audit log before the answer
 * goes back. The session token is 256 random bits, kept only in memory (a restart signs the
 * doctor out) and compared in constant time. It ends after `idleMs` without a doctor request,
 * at once on sign-out, or when another doctor signs in.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { DoctorConfig } from "../config/schema.js";
import { StationError } from "../util/errors.js";
import type { AuditLog } from "./audit.js";
import type { Lockout } from "./lockout.js";
import { PIN_RE, verifySecret } from "./secret-hash.js";

export interface DoctorSession {
  token: string;
  doctorId: string;
  name: string;
  startedAt: number;
  lastSeen: number;
}

/** `removed`: the county's doctors' list pack no longer names the signed-in doctor. */
export type SessionEnd = "sign-out" | "idle" | "replaced" | "stopped" | "removed";

export interface SignInOptions {
  /** The doctors in force now (config, or the county's pack: doctor-list.ts). */
  doctors: () => readonly DoctorConfig[];
  lockout: Lockout;
  audit: AuditLog;
  now: () => number;
  idleMs: number;
  /** Told when a session starts or ends, so the kiosk can leave the doctor's screens at once. */
  onChange: (s: DoctorSession | null, why: SessionEnd | "sign-in") => void;
}

export class SignIn {
  #session: DoctorSession | null = null;
  #timer: NodeJS.Timeout | null = null;
  constructor(private readonly o: SignInOptions) {}

  get session(): DoctorSession | null {
    return this.#session;
  }

  doctor(id: string): DoctorConfig | undefined {
    return this.o.doctors().find((d) => d.id === id);
  }

  /** After the list changed: a session whose doctor is gone from it ends now. */
  doctorsChanged(): void {
    const s = this.#session;
    if (s && !this.doctor(s.doctorId)) this.#end("removed");
  }

  /** The doctor whose ID-number hash matches a card, or null. */
  async doctorForCard(idNumber: string): Promise<DoctorConfig | null> {
    for (const d of this.o.doctors())
      if (d.idNumberHash && (await verifySecret(idNumber, d.idNumberHash))) return d;
    return null;
  }

  async signIn(doctorId: string, pin: string, via: "name" | "card"): Promise<DoctorSession> {
    const d = this.doctor(doctorId);
    if (!d) throw new StationError("doctor-unknown", "没有这位医生 / no such doctor");
    const now = this.o.now();
    const wait = this.o.lockout.remainingMs(d.id, now);
    if (wait > 0) {
      await this.o.audit.audit({
        type: "sign-in-locked",
        doctorId: d.id,
        detail: { waitSeconds: Math.ceil(wait / 1000) },
      });
      throw lockedError(wait);
    }
    if (!PIN_RE.test(pin) || !(await verifySecret(pin, d.pinHash))) {
      const ms = await this.o.lockout.fail(d.id, now);
      const failures = this.o.lockout.failures(d.id);
      await this.o.audit.audit({
        type: "sign-in-failed",
        doctorId: d.id,
        detail: { failures, lockSeconds: ms / 1000, via },
      });
      throw new StationError(
        "pin-wrong",
        `密码不对，请 ${Math.ceil(ms / 1000)} 秒后再试 / wrong PIN; try again in ${Math.ceil(ms / 1000)} s`,
        { retryAfterSeconds: Math.ceil(ms / 1000), failures },
      );
    }
    await this.o.lockout.succeed(d.id);
    if (this.#session) this.#end("replaced");
    const session: DoctorSession = {
      token: randomBytes(32).toString("base64url"),
      doctorId: d.id,
      name: d.name,
      startedAt: now,
      lastSeen: now,
    };
    this.#session = session;
    await this.o.audit.audit({ type: "sign-in", doctorId: d.id, detail: { via } });
    this.#arm();
    this.o.onChange(session, "sign-in");
    return session;
  }

  /** The session a request's token belongs to, refreshed; throws a refusal otherwise. */
  check(token: string | undefined): DoctorSession {
    const s = this.#session;
    if (!token) throw new StationError("doctor-required", "请医生先登录 / a doctor must sign in first");
    if (!s || !sameToken(token, s.token))
      throw new StationError("session-invalid", "登录已失效，请重新登录 / session ended; sign in again");
    const now = this.o.now();
    if (now - s.lastSeen >= this.o.idleMs) {
      this.#end("idle");
      throw new StationError("session-expired", "长时间未操作，已退出 / signed out after inactivity");
    }
    s.lastSeen = now;
    this.#arm();
    return s;
  }

  signOut(token: string | undefined): void {
    const s = this.check(token);
    void s;
    this.#end("sign-out");
  }

  stop(): void {
    if (this.#session) this.#end("stopped");
  }

  #arm(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      if (this.#session) this.#end("idle");
    }, this.o.idleMs);
    this.#timer.unref?.();
  }

  #end(why: SessionEnd): void {
    const s = this.#session;
    if (!s) return;
    this.#session = null;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    void this.o.audit.audit({ type: "sign-out", doctorId: s.doctorId, detail: { why } }).catch(() => {});
    this.o.onChange(null, why);
  }
}

function lockedError(ms: number): StationError {
  const s = Math.ceil(ms / 1000);
  return new StationError(
    "locked-out",
    `密码错误次数过多，请 ${s} 秒后再试 / locked out; try again in ${s} s`,
    {
      retryAfterSeconds: s,
    },
  );
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
