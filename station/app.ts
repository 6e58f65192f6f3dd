/**
 * Composition root: builds every module from the validated config and wires them by
 * constructor injection. Constructors do nothing; start() brings the station up in order.
 */

import { readFileSync } from "node:fs";
import { stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { DeviceSet } from "../drivers/types.js";
import { loadDefaultPolicy } from "./assessment/index.js";
import { type LoadedConfig, resolvePath } from "./config/load.js";
import type { StationConfig } from "./config/schema.js";
import { prepareDataDir } from "./data-format/migrate.js";
import { buildDevices } from "./devices/index.js";
import type { SimControl } from "./devices/sim-devices.js";
import { DiskGuard } from "./disk/disk-guard.js";
import { DoctorConsole } from "./doctor/console.js";
import { DoctorList } from "./doctor/doctor-list.js";
import { consoleGate, listAudit } from "./doctor/gate.js";
import { allowedHosts } from "./doctor/guard.js";
import { PREFIX as DOCTOR_PREFIX, doctorRoutes } from "./doctor/routes.js";
import { assessCorrected } from "./doctor-inbox/assess.js";
import { DoctorInbox } from "./doctor-inbox/index.js";
import { doctorInboxRoutes } from "./doctor-inbox/routes.js";
import { DoctorLists } from "./doctor-lists/index.js";
import { observeSaves } from "./doctor-lists/observe-store.js";
import { type DoctorGate, doctorListRoutes } from "./doctor-lists/routes.js";
import { type EmbeddedCounty, startEmbeddedCounty } from "./embedded/county.js";
import { FleetAgent } from "./fleet/agent.js";
import type { CommandRun } from "./fleet/commands.js";
import { withAppliedConfig } from "./fleet/config-shadow.js";
import { doctorsPack } from "./fleet/doctors-pack.js";
import { PolicyHolder, policyPack } from "./fleet/policy-pack.js";
import { rosterPack } from "./fleet/roster-pack.js";
import { summariesPack } from "./fleet/summaries-pack.js";
import { CountyVisits } from "./health-card/county-visits.js";
import { HealthCardService } from "./health-card/service.js";
import { withHealthCard } from "./health-card/workflow.js";
import { HelpStore } from "./help/help-store.js";
import { personHistoryRoutes } from "./person-history/routes.js";
import { PersonHistoryService } from "./person-history/service.js";
import type { DeviceName, DeviceStatusView } from "./protocol.js";
import { RetentionPruner } from "./retention/pruner.js";
import { loadRoster } from "./roster/roster.js";
import { SwappableRoster } from "./roster/swappable.js";
import { assessSession } from "./runtime/assess-session.js";
import { CheckupRuntime } from "./runtime/checkup.js";
import { type Clock, localDate, systemClock } from "./runtime/clock.js";
import { Hub } from "./runtime/hub.js";
import { StationServer } from "./server/server.js";
import { simRoutes } from "./server/sim-api.js";
import { createFileStore } from "./storage/file-store.js";
import type { RecordStore } from "./storage/types.js";
import { TimeGuard } from "./timekeeping/time-guard.js";
import type { UploadStatus } from "./upload/status.js";
import { Uploader, type UploaderOptions } from "./upload/uploader.js";
import type { LogRing } from "./util/log-ring.js";
import type { Logger } from "./util/logger.js";
import { type Notify, watchdogIntervalMs } from "./watchdog/sd-notify.js";
import { Watchdog } from "./watchdog/watchdog.js";
import { clockSuspect } from "./workflow/record.js";
import { createUpdate } from "./workflow/update.js";

export interface StationAppOptions {
  loaded: LoadedConfig;
  logger: Logger;
  /** Folder holding ui/dist. */
  projectRoot: string;
  clock?: Clock;
  version?: string;
  /** Recent log lines for the county's "logs" command; without it the command is refused. */
  logRing?: LogRing;
  /** The county's "restart" command; without it the command is refused. */
  onRestartRequested?: () => void;
  /** Overrides the doctor console's session check for the lists' routes (tests). */
  doctorGate?: DoctorGate;
  /** systemd notifications (null or absent when not run as a notify unit). */
  notify?: Notify | null;
  /** Where WATCHDOG_USEC comes from; the process environment by default. */
  env?: NodeJS.ProcessEnv;
}

/** The embedded demo's doctor; PIN 1234 (made with `health-station hash-pin`). Never on a configured station. */
const DEMO_DOCTOR = {
  id: "demo-doctor",
  name: "王医生（演示）",
  villages: [] as string[],
  pinHash: "scrypt$16384$8$1$tFxWDxEkUZsnc_2drN2g7Q$6t8EiJp1V64TeNn86HdnfdnG0ouT51VxdbRkJYCtizI",
};

export class StationApp {
  readonly hub = new Hub();
  #store: RecordStore | null = null;
  #runtime: CheckupRuntime | null = null;
  #server: StationServer | null = null;
  #devices: DeviceSet | null = null;
  #sim: SimControl | null = null;
  #closeDevices: (() => Promise<void>) | null = null;
  #uploader: Uploader | null = null;
  #fleet: FleetAgent | null = null;
  #policy: PolicyHolder | null = null;
  #county: EmbeddedCounty | null = null;
  #roster: SwappableRoster | null = null;
  #doctor: DoctorConsole | null = null;
  #doctorList: DoctorList | null = null;
  #countyVisits: { visits: CountyVisits; keyOf: (idNumber: string) => string } | null = null;
  #help: HelpStore | null = null;
  #healthCard: HealthCardService | null = null;
  #disk: DiskGuard | null = null;
  #timeGuard: TimeGuard | null = null;
  #pruner: RetentionPruner | null = null;
  #lists: DoctorLists | null = null;
  #inbox: DoctorInbox | null = null;
  #watchdog: Watchdog | null = null;
  #startedAt = 0;
  #config: StationConfig;
  #appliedVersion: number | null = null;
  /** The workflow's settings object: the county's live changes are written into it. */
  #workflowConfig: Parameters<typeof createUpdate>[0]["config"] | null = null;
  #simulated = false;

  constructor(private readonly o: StationAppOptions) {
    this.#config = o.loaded.config;
  }

  #fleetDir(): string {
    return join(resolvePath(this.o.loaded.baseDir, this.o.loaded.config.dataDir), "fleet");
  }

  get runtime(): CheckupRuntime | null {
    return this.#runtime;
  }
  get store(): RecordStore | null {
    return this.#store;
  }
  /** The doctor's console: sign-in, sessions, audit (`doctor.audit(event)` for other modules). */
  get doctor(): DoctorConsole | null {
    return this.#doctor;
  }
  /** Help requests waiting for a doctor (the doctor's console clears them). */
  get help(): HelpStore | null {
    return this.#help;
  }
  get doctorLists(): DoctorLists | null {
    return this.#lists;
  }
  /** The in-process county archive when upload.broker is "embedded". */
  get embeddedCounty(): EmbeddedCounty | null {
    return this.#county;
  }

  async start(): Promise<{ port: number; url: string }> {
    const { baseDir } = this.o.loaded;
    const log = this.o.logger;
    const fileConfig = this.o.loaded.config;
    // Before any module opens the folder: this release's data format, migrated if older.
    await prepareDataDir(resolvePath(baseDir, fileConfig.dataDir), {
      logger: log.child("data-format"),
      version: this.o.version ?? "dev",
    });
    // The county's last applied settings (docs/fleet.md) go over the file's, restart-only ones
    // included (the data folder is not among the keys the county may set).
    const applied = withAppliedConfig(fileConfig, this.#fleetDir());
    if (applied.problem) log.warn(`county config not used, the file alone runs: ${applied.problem}`);
    this.#config = applied.config;
    this.#appliedVersion = applied.version;
    const config = this.#config;
    const clock = this.o.clock ?? systemClock;
    this.#startedAt = clock.now();

    // Swappable: a roster pack from the county replaces it while the station runs.
    const roster = new SwappableRoster(
      loadRoster(
        config.roster.file
          ? resolvePath(baseDir, config.roster.file)
          : resolvePath(this.o.projectRoot, "station/data/demo-roster.json"),
      ),
    );
    this.#roster = roster;
    log.info(
      `roster: ${roster.size} people of ${roster.county}${roster.synthetic ? " (synthetic demo data)" : ""}`,
    );

    // Held, not fixed: a policy pack from the county replaces it for the next assessment.
    const policy = new PolicyHolder(loadDefaultPolicy());
    this.#policy = policy;
    // Who may sign in: the config's doctors until a county doctors' pack replaces them.
    const doctorList = new DoctorList(config.doctor.doctors);
    this.#doctorList = doctorList;
    const dataDir = resolvePath(baseDir, config.dataDir);
    // (The data format was prepared at the top of start(), before the county's config was read.)
    const rawStore = createFileStore({ dir: dataDir, logger: log.child("store") });
    await rawStore.open();
    this.#store = rawStore;
    const today = () => localDate(clock.now(), config.station.timezone);
    const lists = new DoctorLists({
      dataDir,
      roster: () => roster.all(),
      policy: () => policy.current,
      today,
      now: () => new Date(clock.now()),
      stationId: config.station.id,
      county: config.station.countyId,
      clinicName: config.station.clinicName,
      printer: () => this.#devices?.printer ?? null,
      // Written to the doctor console's durable audit log (and uploaded with it).
      audit: listAudit(
        () => this.#doctor,
        (e) => log.child("audit").info(JSON.stringify(e)),
      ),
      logger: log.child("doctor-lists"),
    });
    await lists.start();
    this.#lists = lists;
    // Every record saved from here on also updates the lists' index.
    const store = observeSaves(rawStore, (r) => lists.onSaved(r));
    this.#store = store;
    const timeGuard = new TimeGuard({ file: join(dataDir, "clock", "floor.json"), clock, logger: log });
    await timeGuard.start();
    this.#timeGuard = timeGuard;
    if (config.retention.ackedRecordDays !== null) {
      this.#pruner = new RetentionPruner({
        store,
        days: config.retention.ackedRecordDays,
        timezone: config.station.timezone,
        clock,
        clockCheck: () => timeGuard.check(),
        logger: log,
      });
      this.#pruner.start();
    }

    // The county's summaries pack, keyed by the person index (never the ID number at rest).
    const keyOf = (idNumber: string) => rawStore.personKey(idNumber);
    const countyVisits = new CountyVisits(keyOf);
    this.#countyVisits = { visits: countyVisits, keyOf };
    // Before the devices start: seeding the demo's history is disk-heavy, and device polls time out meanwhile.
    const healthCard = new HealthCardService({
      store,
      countyVisits,
      pack: () => policy.current,
      roster,
      timeZone: config.station.timezone,
      stationId: config.station.id,
      logger: log.child("health-card"),
      now: () => clock.now(),
      // Only the embedded demo gets synthetic history: `npm start` with no config file (simulated
      // devices, synthetic roster, in-process county), or HS_DEMO_HISTORY=1 for a test's station;
      // and only into an empty store (service.ts). Other tests' stores hold only their records.
      seedDemo:
        config.devices.mode === "sim" &&
        roster.synthetic &&
        config.upload.broker === "embedded" &&
        (this.o.loaded.path === null || process.env.HS_DEMO_HISTORY === "1"),
    });
    await healthCard.start();
    this.#healthCard = healthCard;

    const built = await buildDevices(config.devices, log.child("devices"));
    const sim = built.sim;
    this.#sim = sim;
    this.#closeDevices = built.close;
    const devices: DeviceSet = built.devices;
    this.#devices = devices;
    const publishDevices = () => this.hub.publish("devices/status", this.#deviceStatus());
    for (const d of Object.values(devices)) d.on("status", publishDevices);
    // A device that fails to start (unplugged at boot) keeps retrying by itself; the station runs on.
    for (const [name, d] of Object.entries(devices))
      await d.start().catch((e: Error) => log.warn(`device ${name} did not start: ${e.message}`));
    publishDevices();

    const uploader = config.upload.enabled ? await this.#startUploader(store) : null;

    const disk = new DiskGuard({
      dir: resolvePath(baseDir, config.dataDir),
      reserveMb: config.disk.reserveMb,
      checkSeconds: config.disk.checkSeconds,
      logger: log.child("disk"),
    });
    disk.on("status", (s) => this.hub.publish("disk/status", s));
    await disk.start();
    this.#disk = disk;

    const help = new HelpStore({
      dir: resolvePath(baseDir, config.dataDir),
      now: () => clock.now(),
      logger: log.child("help"),
      onChange: (waiting) =>
        this.hub.publish("help/status", {
          waiting: waiting.map(({ id, at, step, screen, source }) => ({ id, at, step, screen, source })),
        }),
    });
    await help.start();
    this.#help = help;

    const wf = config.workflow;
    const workflowConfig = {
      inactivityMs: wf.inactivitySeconds * 1000,
      bpRepeatPauseMs: wf.bpRepeatPauseSeconds * 1000,
      bpRepeatAtSystolic: wf.bpRepeatAtSystolic,
      bpRepeatAtDiastolic: wf.bpRepeatAtDiastolic,
      glucoseSkippable: wf.glucoseSkippable,
      resultMs: wf.resultSeconds * 1000,
      saveRetryMs: 10_000,
    };
    this.#workflowConfig = workflowConfig;
    const workflowDeps = {
      config: workflowConfig,
      assess: (s: Parameters<typeof assessSession>[0], env: Parameters<typeof assessSession>[1]) =>
        assessSession(s, env, policy.current),
    };
    const update = withHealthCard(createUpdate(workflowDeps), workflowDeps);
    const runtime = new CheckupRuntime({
      update,
      config: workflowConfig,
      station: config.station,
      devices,
      store,
      roster,
      hub: this.hub,
      clock,
      clockCheck: () => timeGuard.check(),
      logger: log.child("checkup"),
      onSaved: () => {
        uploader?.kick();
        void timeGuard.advance();
        void disk.check();
      },
      admit: () => disk.admit(),
      onHelp: (call) =>
        void help
          .add(call)
          .then((r) => log.warn(`help request ${r.id} from ${r.screen} (${r.source})`))
          .catch((e: Error) => log.error(`help request not saved: ${e.message}`)),
      healthCard,
    });
    this.#runtime = runtime;
    this.#simulated = sim !== null;
    this.#publishInfo();
    runtime.start();

    // `npm start` with no config file is the demo: it gets one demo doctor (PIN 1234, README) so
    // a newcomer can try the console. A station with a config file has only the doctors it names.
    const demoDoctor =
      this.o.loaded.path === null && sim !== null && roster.synthetic && config.doctor.doctors.length === 0;
    const upstream = uploader
      ? {
          publish: (topic: string, payload: string) => uploader.publishConfirmed(topic, payload),
          onUp: (fn: () => void) => {
            let was = uploader.status.connected;
            uploader.on("status", (s) => {
              if (s.connected && !was) fn();
              was = s.connected;
            });
          },
        }
      : null;
    // The lists' outcomes go to the county beside the audit log, on the same link.
    if (upstream) lists.startUpload(upstream);
    if (demoDoctor) doctorList.setConfig([DEMO_DOCTOR]);
    const doctor = new DoctorConsole({
      config: config.doctor,
      doctors: doctorList,
      station: config.station,
      dataDir: resolvePath(baseDir, config.dataDir),
      runtime,
      store,
      hub: this.hub,
      now: () => clock.now(),
      logger: log.child("doctor"),
      onSaved: () => uploader?.kick(),
      ...(upstream ? { upload: upstream } : {}),
    });
    await doctor.start();
    this.#doctor = doctor;
    let hosts: ReadonlySet<string> = new Set();
    const consoleRoutes = doctorRoutes(doctor, () => hosts);
    // Help requests cleared by a doctor, and corrections of records the archive rejected.
    const inbox = new DoctorInbox({
      dataDir,
      store: () => store,
      help,
      stationId: config.station.id,
      now: () => clock.now(),
      clockSuspect: (ms) => clockSuspect(ms, null) || (this.#timeGuard?.check().suspect ?? false),
      today: (ms) => localDate(ms, config.station.timezone),
      assess: (original, readings, person) =>
        assessCorrected(original, readings, person, {
          pack: policy.current,
          categories: roster.get(person.idNumber)?.categories ?? [],
          day: localDate(Date.parse(original.createdAt), config.station.timezone),
        }),
      personKey: (id) => doctor.personKey(id),
      audit: (e) => doctor.audit(e),
      onSaved: () => {
        uploader?.kick();
        // The corrected rejection leaves the status strip's count.
        if (uploader) this.hub.publish("upload/status", this.#openRejections(uploader.status));
      },
      logger: log.child("doctor-inbox"),
    });
    await inbox.start();
    this.#inbox = inbox;
    const gate = this.o.doctorGate ?? consoleGate(() => this.#doctor);
    // A person's history for the doctor (issue 10 §3): declared with access "doctor".
    const history = new PersonHistoryService({
      lists: () => this.#lists,
      store: () => store,
      roster,
      pack: () => policy.current,
      timeZone: config.station.timezone,
      today,
      audited: async (e) => {
        await doctor.audit({
          type: "person-viewed",
          doctorId: e.doctorId,
          personKey: doctor.personKey(e.idNumber),
          ...(e.recordId ? { recordId: e.recordId } : {}),
          detail: { via: e.via },
        });
      },
    });

    const server = new StationServer({
      hub: this.hub,
      action: (a) => runtime.action(a),
      health: () => this.#health(),
      staticDir: resolvePath(this.o.projectRoot, "ui/dist"),
      declaredRoutes: [
        ...doctorInboxRoutes(() => this.#inbox),
        ...personHistoryRoutes(history),
        ...doctorListRoutes(lists, dataDir),
      ],
      doctorSession: async (req) => {
        try {
          return await gate.require(req);
        } catch {
          return null;
        }
      },
      // The rest of /api/doctor/ belongs to the console.
      routes: [
        async (req, res, url) => {
          if (!url.pathname.startsWith(DOCTOR_PREFIX)) return false;
          await consoleRoutes(req, res, url.pathname);
          return true;
        },
      ],
      simRoutes: sim
        ? simRoutes({
            sim,
            roster,
            today: () => localDate(clock.now(), config.station.timezone),
            action: (a) => runtime.action(a),
          })
        : null,
      allowedHosts: config.server.allowedHosts,
      logger: log.child("http"),
    });
    this.#server = server;
    const port = await server.listen(config.server.host, config.server.port);
    hosts = allowedHosts(config.server.host, port, config.server.allowedHosts);
    this.#startWatchdog(resolvePath(baseDir, config.dataDir));
    return { port, url: `http://${config.server.host}:${port}` };
  }

  #fleetCommands(): Partial<Record<string, CommandRun>> {
    const { logRing, onRestartRequested } = this.o;
    return {
      ...(logRing
        ? {
            logs: (args) => {
              const n = typeof args.lines === "number" && Number.isInteger(args.lines) ? args.lines : 100;
              return { status: "done", result: { lines: logRing.last(Math.min(Math.max(n, 1), 500)) } };
            },
          }
        : {}),
      ...(onRestartRequested
        ? {
            restart: () => {
              // After the answer is on its way: stop() ends the connection gracefully.
              setTimeout(onRestartRequested, 100);
              return { status: "done", result: { exitCode: 75 } };
            },
          }
        : {}),
    };
  }

  #publishInfo(): void {
    const config = this.#config;
    this.hub.publish("station/info", {
      stationId: config.station.id,
      clinicName: config.station.clinicName,
      doctor: config.station.doctor,
      version: this.o.version ?? "dev",
      simulated: this.#simulated,
    });
  }

  /** The county's live settings: workflow timings, fleet limits, the clinic's name and doctor. */
  #applyLive(next: StationConfig): void {
    const cur = this.#config;
    this.#config = {
      ...cur,
      workflow: next.workflow,
      fleet: next.fleet,
      station: { ...cur.station, clinicName: next.station.clinicName, doctor: next.station.doctor },
    };
    const wf = next.workflow;
    if (this.#workflowConfig)
      Object.assign(this.#workflowConfig, {
        inactivityMs: wf.inactivitySeconds * 1000,
        bpRepeatPauseMs: wf.bpRepeatPauseSeconds * 1000,
        bpRepeatAtSystolic: wf.bpRepeatAtSystolic,
        bpRepeatAtDiastolic: wf.bpRepeatAtDiastolic,
        glucoseSkippable: wf.glucoseSkippable,
        resultMs: wf.resultSeconds * 1000,
      });
    this.#fleet?.updateSettings(next.fleet);
    this.#publishInfo();
  }

  /** Only under systemd with WatchdogSec= set; see station/watchdog/watchdog.ts. */
  #startWatchdog(dataDir: string): void {
    const intervalMs = watchdogIntervalMs(this.o.env ?? process.env);
    if (!this.o.notify || intervalMs === null) return;
    const store = this.#store;
    this.#watchdog = new Watchdog({
      notify: this.o.notify,
      intervalMs,
      logger: this.o.logger.child("watchdog"),
      probes: [
        {
          // A hung SD card blocks stat in libuv's pool: the probe's timeout catches it.
          name: "store",
          check: async () => {
            if (!store) throw new Error("store not open");
            await store.pendingCount();
            await stat(dataDir);
          },
        },
        { name: "device supervision", check: () => void this.#deviceStatus() },
      ],
    });
    this.#watchdog.start();
  }

  async #startUploader(store: RecordStore): Promise<Uploader> {
    const { baseDir } = this.o.loaded;
    const config = this.#config;
    const log = this.o.logger;
    const up = config.upload;
    let broker: UploaderOptions["broker"];
    if (up.broker === "embedded") {
      this.#county = await startEmbeddedCounty({
        county: config.station.countyId,
        stationId: config.station.id,
        archiveDir: resolvePath(baseDir, up.embeddedArchiveDir),
        fleetDir: join(dirname(resolvePath(baseDir, up.embeddedArchiveDir)), "county-fleet"),
        ...embeddedDashboardPort(config.server.port, process.env.HS_COUNTY_DASHBOARD_PORT),
        logger: log.child("county"),
      });
      broker = { url: this.#county.url, ...this.#county.station };
    } else {
      const b = up.broker;
      // The password lives in its own file (or the environment), never in the shared config.
      const password = b.passwordFile
        ? readFileSync(resolvePath(baseDir, b.passwordFile), "utf8").trim()
        : process.env.HS_MQTT_PASSWORD;
      broker = {
        url: b.url,
        username: b.username ?? config.station.id,
        ...(password ? { password } : {}),
        ...(b.caFile ? { caFile: resolvePath(baseDir, b.caFile) } : {}),
      };
    }
    const clock = this.o.clock ?? systemClock;
    // Built first: the uploader's link takes its bdSeq, birth and topics from the agent.
    const fleet = new FleetAgent({
      county: config.station.countyId,
      stationId: config.station.id,
      dataDir: resolvePath(baseDir, config.dataDir),
      store,
      logger: log.child("fleet"),
      settings: config.fleet,
      commands: this.#fleetCommands(),
      packs: {
        ...(this.#roster
          ? {
              roster: rosterPack(this.#roster, (r, v) =>
                log.info(
                  `roster pack ${v}: ${r.size} people of ${r.county}${r.synthetic ? " (synthetic)" : ""}`,
                ),
              ),
            }
          : {}),
        ...(this.#policy ? { policy: policyPack(this.#policy) } : {}),
        ...(this.#doctorList ? { doctors: doctorsPack(this.#doctorList, config.station.countyId) } : {}),
        ...(this.#countyVisits
          ? {
              summaries: summariesPack(this.#countyVisits.visits, {
                county: config.station.countyId,
                stationId: config.station.id,
                keyOf: this.#countyVisits.keyOf,
              }),
            }
          : {}),
      },
      config: {
        fileConfig: this.o.loaded.config,
        running: () => this.#config,
        appliedVersion: this.#appliedVersion,
        applyLive: (next) => this.#applyLive(next),
      },
      facts: {
        software: this.o.version ?? "dev",
        packs: () => ({ roster: null, policy: null }),
        devices: () => (this.#devices ? this.#deviceStatus() : {}),
        backlogCount: () => this.#uploader?.status.pending ?? 0,
        rejectedCount: () =>
          this.#uploader ? this.#openRejections(this.#uploader.status).rejected.length : 0,
        savesFailing: () => {
          const m = this.#runtime?.model;
          return m?.step === "saving" && m.error !== null && m.error !== undefined;
        },
        helpSinceMs: () => this.#helpWaiting(),
        nowMs: () => clock.now(),
        startedAtMs: this.#startedAt,
        // The time guard's verdict (floor, archive skew, far future) raises the clock alarm.
        clock: () => {
          const c = this.#timeGuard?.check();
          return c ? { suspect: c.suspect, reason: c.reason } : { suspect: false, reason: null };
        },
      },
    });
    this.#fleet = fleet;
    fleet.loadPacks();
    await fleet.start();
    const uploader = new Uploader({
      store,
      county: config.station.countyId,
      stationId: config.station.id,
      broker,
      presence: fleet.presence,
      extraTopics: fleet.topics,
      window: up.window,
      ackTimeoutMs: up.ackTimeoutSeconds * 1000,
      maxAckBytes: up.maxAckBytes,
      logger: log,
    });
    this.#uploader = uploader;
    fleet.attach(uploader);
    uploader.on("status", (s) => this.hub.publish("upload/status", this.#openRejections(s)));
    uploader.on("archiveTime", ({ at }) => void this.#timeGuard?.observeArchive(at));
    await uploader.start();
    this.hub.publish("upload/status", this.#openRejections(uploader.status));
    return uploader;
  }

  async stop(): Promise<void> {
    this.#watchdog?.stop();
    this.#doctor?.stop();
    this.#runtime?.stop();
    this.#healthCard?.stop();
    this.#fleet?.stop();
    await this.#lists?.stop();
    await this.#uploader?.stop().catch((e: Error) => this.o.logger.warn(`upload stop: ${e.message}`));
    await this.#county?.stop().catch((e: Error) => this.o.logger.warn(`embedded county stop: ${e.message}`));
    await this.#server?.close();
    await this.#inbox?.stop();
    await this.#help?.stop();
    this.#disk?.stop();
    for (const d of Object.values(this.#devices ?? {})) await d.stop().catch(() => {});
    await this.#closeDevices?.();
    await this.#pruner?.stop();
    await this.#timeGuard?.stop().catch((e: Error) => this.o.logger.warn(`clock stop: ${e.message}`));
    await this.#store?.close();
  }

  /** Upload status without the rejections a doctor has corrected (station/doctor-inbox): the strip counts what is left to do. */
  #openRejections(s: UploadStatus): UploadStatus {
    const inbox = this.#inbox;
    return inbox ? { ...s, rejected: s.rejected.filter((r) => !inbox.isSuperseded(r.id)) } : s;
  }

  /** The oldest help request no doctor has cleared yet (station/help), or null. */
  #helpWaiting(): number | null {
    const times = (this.#help?.waiting() ?? []).map((r) => Date.parse(r.at)).filter((t) => !Number.isNaN(t));
    return times.length > 0 ? Math.min(...times) : null;
  }

  #deviceStatus(): Record<DeviceName, DeviceStatusView> {
    const d = this.#devices;
    if (!d) throw new Error("devices not started");
    return {
      cardReader: d.cardReader.status,
      bp: d.bp.status,
      glucose: d.glucose.status,
      printer: d.printer.status,
      peripherals: d.peripherals.status,
    };
  }

  #health() {
    const config = this.#config;
    return {
      ok: true,
      stationId: config.station.id,
      uptimeSeconds: Math.round(((this.o.clock ?? systemClock).now() - this.#startedAt) / 1000),
      step: this.#runtime?.model.step ?? null,
      devices: this.#devices ? this.#deviceStatus() : null,
      rosterSize: this.#roster?.size ?? 0,
      simulated: this.#sim !== null,
      upload: this.#uploader?.status ?? null,
      fleet: {
        configVersion: this.#fleet?.configVersion ?? this.#appliedVersion,
        alarms: this.#fleet?.activeAlarms ?? [],
        partialPacks: this.#fleet?.partialPacks ?? [],
      },
      // For the doctor's screen and a fleet alarm: is this station's clock to be trusted?
      clock: this.#timeGuard?.check() ?? null,
      disk: this.#disk?.status ?? null,
    };
  }
}

/**
 * The demo county's fleet dashboard (docs/fleet.md): on the station's port + 1, or the port in
 * HS_COUNTY_DASHBOARD_PORT (0: any free one; "off": none). None for a station on port 0 (tests).
 */
function embeddedDashboardPort(serverPort: number, env: string | undefined): { dashboardPort?: number } {
  if (env === "off") return {};
  if (env !== undefined && /^\d+$/.test(env) && Number(env) <= 65535) return { dashboardPort: Number(env) };
  return serverPort ? { dashboardPort: serverPort + 1 } : {};
}
