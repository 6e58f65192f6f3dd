/**
 * The health card module: loads a person's card from this station's records (through the person
 * index) and the county's summaries pack (county-visits.ts), lays out its slip, and seeds the
 * embedded demo's synthetic history. start()/stop() are called from the composition root
 * (station/app.ts).
 */
import type { Slip } from "../../drivers/types.js";
import type { PolicyPack } from "../assessment/policy-schema.js";
import type { RosterEntry } from "../domain/schema.js";
import type { RecordStore } from "../storage/types.js";
import type { Logger } from "../util/logger.js";
import type { Session } from "../workflow/types.js";
import type { CountyVisits } from "./county-visits.js";
import { seedDemoHistory } from "./demo-history.js";
import { loadHealthCard } from "./records.js";
import { buildHealthCardSlip } from "./slip.js";
import type { HealthCard } from "./types.js";

export interface HealthCardServiceOptions {
  store: RecordStore;
  /** The county policy pack in force now (a fleet update may replace it while running). */
  pack: () => PolicyPack;
  roster: { get(id: string): RosterEntry | null };
  timeZone: string;
  stationId: string;
  logger: Logger;
  now: () => number;
  /** Seed the synthetic demo villagers' history into an empty store (embedded demo only). */
  seedDemo: boolean;
  /** Visits from the county archive (the summaries pack), merged with the station's own. */
  countyVisits?: CountyVisits;
}

export class HealthCardService {
  #running = false;

  constructor(private readonly o: HealthCardServiceOptions) {}

  async start(): Promise<void> {
    this.#running = true;
    // A fresh demo folder only: a store with records of its own (an upgrade, a test's backlog) is left as it is.
    if (!this.o.seedDemo || (await this.o.store.count()) > 0) return;
    const n = await seedDemoHistory(this.o.store, this.o.roster, {
      nowMs: this.o.now(),
      stationId: this.o.stationId,
      pack: this.o.pack(),
    });
    if (n > 0) this.o.logger.info(`demo: seeded ${n} synthetic check-ups for the health-card demo villagers`);
  }

  stop(): void {
    this.#running = false;
  }

  load(session: Session, today: string): Promise<HealthCard> {
    if (!this.#running) return Promise.reject(new Error("health card module is stopped"));
    return loadHealthCard(session.person, session.roster, {
      store: this.o.store,
      pack: this.o.pack(),
      timeZone: this.o.timeZone,
      today,
      extraVisits: this.o.countyVisits?.forPerson(session.person.idNumber, this.o.timeZone) ?? [],
    });
  }

  slip(_session: Session, card: HealthCard, ctx: { clinicName: string; localTime: string }): Slip {
    return buildHealthCardSlip(card, ctx);
  }
}
