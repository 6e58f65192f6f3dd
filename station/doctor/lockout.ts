/**
 * Wrong-PIN lockout per doctor, kept in a durable lowdb file so that restarting the station (or
 * pulling its plug) does not hand a guesser fresh attempts. Each failure doubles the wait:
 * base, 2·base, 4·base … up to max. A correct PIN clears the count.
 */
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { Low } from "lowdb";
import { DurableJSONFile } from "../storage/durable-adapter.js";

export interface LockoutEntry {
  failures: number;
  /** Epoch ms before which no PIN is even checked. */
  lockedUntil: number;
}

type LockoutData = { v: 1; doctors: Record<string, LockoutEntry> };

export interface LockoutOptions {
  file: string;
  baseMs: number;
  maxMs: number;
}

export class Lockout {
  #db: Low<LockoutData> | null = null;
  constructor(private readonly o: LockoutOptions) {}

  async open(): Promise<void> {
    await mkdir(dirname(this.o.file), { recursive: true });
    const db = new Low<LockoutData>(new DurableJSONFile<LockoutData>(this.o.file), { v: 1, doctors: {} });
    await db.read();
    this.#db = db;
  }

  #data(): LockoutData {
    if (!this.#db) throw new Error("lockout not open");
    return this.#db.data;
  }

  /** Milliseconds still to wait; 0 when the doctor may try. */
  remainingMs(doctorId: string, now: number): number {
    const e = this.#data().doctors[doctorId];
    return e ? Math.max(0, e.lockedUntil - now) : 0;
  }

  failures(doctorId: string): number {
    return this.#data().doctors[doctorId]?.failures ?? 0;
  }

  /** Lock length after the n-th consecutive failure (n ≥ 1). */
  lockMs(n: number): number {
    return Math.min(this.o.maxMs, this.o.baseMs * 2 ** Math.min(n - 1, 30));
  }

  /** Records a failure durably before the caller answers, and returns the new lock length. */
  async fail(doctorId: string, now: number): Promise<number> {
    const data = this.#data();
    const failures = (data.doctors[doctorId]?.failures ?? 0) + 1;
    const ms = this.lockMs(failures);
    data.doctors[doctorId] = { failures, lockedUntil: now + ms };
    await this.#db?.write();
    return ms;
  }

  async succeed(doctorId: string): Promise<void> {
    const data = this.#data();
    if (!data.doctors[doctorId]) return;
    delete data.doctors[doctorId];
    await this.#db?.write();
  }
}
