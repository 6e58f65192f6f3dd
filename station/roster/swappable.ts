/**
 * A roster that can be replaced while the station runs (a new roster pack from the county): the
 * runtime and the simulator hold this one object, and every lookup goes to the roster in force.
 */
import type { RosterEntry } from "../domain/schema.js";
import type { Roster } from "./roster.js";

export class SwappableRoster implements Roster {
  #cur: Roster;
  constructor(initial: Roster) {
    this.#cur = initial;
  }
  swap(next: Roster): void {
    this.#cur = next;
  }
  get county(): string {
    return this.#cur.county;
  }
  get synthetic(): boolean {
    return this.#cur.synthetic;
  }
  get size(): number {
    return this.#cur.size;
  }
  get(idNumber: string): RosterEntry | null {
    return this.#cur.get(idNumber);
  }
  all(): readonly RosterEntry[] {
    return this.#cur.all();
  }
  search(q: string, limit: number): RosterEntry[] {
    return this.#cur.search(q, limit);
  }
}
