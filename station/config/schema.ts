/**
 * Station configuration: one file, validated once and completely at start-up. The zod schema
 * is the single source of the type, the defaults and the checks.
 */
import { z } from "zod";

export const CONFIG_VERSION = 1;
/** Records in flight to the archive at once (upload.window); the uploader's default too. */
export const UPLOAD_WINDOW_DEFAULT = 256;

const Port = z.number().int().min(0).max(65535);

/** scrypt$N$r$p$salt$hash, made by `health-station hash-pin` (station/doctor/secret-hash.ts). */
const SecretHash = z
  .string()
  .regex(
    /^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9_-]{16,}\$[A-Za-z0-9_-]{40,}$/,
    "a hash from `health-station hash-pin`, never a PIN in clear",
  );

/** A village doctor who may sign in at this station (docs/doctor.md). */
export const DoctorConfig = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, "lower-case letters, digits and '-'"),
    name: z.string().min(1).max(30),
    villages: z.array(z.string().min(1).max(64)).default([]),
    pinHash: SecretHash,
    /** Hash of the doctor's own resident ID number, for signing in with their card. */
    idNumberHash: SecretHash.optional(),
  })
  .strict();
export type DoctorConfig = z.infer<typeof DoctorConfig>;

export const DeviceMode = z.enum(["sim", "hardware"]);

/** Where a serial device is: a stable /dev/serial/by-id path, or its USB vendor/product id. */
const SerialLocator = z
  .object({
    path: z.string().min(1).optional(),
    vendorId: z
      .string()
      .regex(/^[0-9a-fA-F]{4}$/, "4 hex digits")
      .optional(),
    productId: z
      .string()
      .regex(/^[0-9a-fA-F]{4}$/, "4 hex digits")
      .optional(),
    serialNumber: z.string().optional(),
    baudRate: z.number().int().positive().optional(),
  })
  .strict()
  .refine((l) => l.path || (l.vendorId && l.productId), {
    message: "give path (/dev/serial/by-id/…) or vendorId and productId",
  });

const BleAddress = z
  .string()
  .regex(/^([0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}$/, "a Bluetooth address like AA:BB:CC:DD:EE:FF");

/** Digital pins of the status LED, active buzzer, help button and PIR sensor. */
const PeripheralPins = z
  .object({
    statusLed: z.number().int().min(0),
    buzzer: z.number().int().min(0),
    helpButton: z.number().int().min(0),
    motion: z.number().int().min(0),
  })
  .strict();

export const StationConfig = z
  .object({
    version: z.literal(CONFIG_VERSION),
    station: z
      .object({
        id: z
          .string()
          .regex(
            /^[a-z0-9][a-z0-9-]{1,62}$/,
            "lower-case letters, digits and '-' (it is used in MQTT topics)",
          )
          .default("demo-station-0001"),
        countyId: z
          .string()
          .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, "lower-case letters, digits and '-'")
          .default("demo-county"),
        clinicName: z.string().min(1).max(64).default("示范村卫生室（演示）"),
        timezone: z.string().default("Asia/Shanghai"),
        doctor: z
          .object({ name: z.string(), phone: z.string() })
          .default({ name: "王医生（演示）", phone: "0000-0000000" }),
      })
      .prefault({}),
    server: z
      .object({
        host: z.string().default("127.0.0.1"),
        port: Port.default(8080),
        /**
         * Host names the kiosk is reached by, besides server.host, localhost and 127.0.0.1. Any
         * other Host header is refused, which stops DNS-rebinding pages (docs/security.md).
         */
        allowedHosts: z
          .array(z.string().regex(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)$/, "a host name without port"))
          .max(16)
          .default([]),
      })
      .strict()
      .prefault({}),
    /** Records, outbox and counters. Relative paths resolve against the config file's folder. */
    dataDir: z.string().default("var/data"),
    roster: z
      .object({
        /** null = the bundled synthetic demo roster (station/data/demo-roster.json). */
        file: z.string().nullable().default(null),
      })
      .prefault({}),
    workflow: z
      .object({
        /** Back to the attract screen, with every personal detail cleared, after this much idle time. */
        inactivitySeconds: z.number().int().min(10).max(600).default(90),
        /** A high first reading is repeated after this pause, and the two are averaged. */
        bpRepeatPauseSeconds: z.number().int().min(0).max(300).default(60),
        bpRepeatAtSystolic: z.number().int().min(100).max(200).default(140),
        bpRepeatAtDiastolic: z.number().int().min(60).max(130).default(90),
        glucoseSkippable: z.boolean().default(true),
        /** How long the result screen stays before returning to attract. */
        resultSeconds: z.number().int().min(10).max(600).default(120),
      })
      .prefault({}),
    devices: z
      .object({
        mode: DeviceMode.default("sim"),
        /** Simulation only: "auto" uses socat pseudo-terminals when installed, else the in-process mock binding. */
        simTransport: z.enum(["auto", "pty", "mock"]).default("auto"),
        /** Hardware only; a device left out is shown as "not configured". */
        cardReader: SerialLocator.optional(),
        printer: SerialLocator.and(z.object({ statusQueries: z.boolean().optional() })).optional(),
        bp: z
          .object({ kind: z.literal("ble"), address: BleAddress })
          .strict()
          .optional(),
        glucose: z
          .discriminatedUnion("kind", [
            z.object({ kind: z.literal("ble"), address: BleAddress }).strict(),
            z.object({ kind: z.literal("td42xx"), locator: SerialLocator }).strict(),
          ])
          .optional(),
        peripherals: z
          .discriminatedUnion("kind", [
            /** A Firmata board (Arduino Nano, Pi Pico) on USB serial. */
            z.object({ kind: z.literal("firmata"), locator: SerialLocator, pins: PeripheralPins }).strict(),
            /**
             * The Pi's own GPIO through the libgpiod tools (apt install gpiod): pins are BCM GPIO
             * numbers, the chip is what `gpiodetect` lists (gpiochip0; gpiochip4 on a Pi 5 with an
             * older kernel).
             */
            z
              .object({
                kind: z.literal("gpiod"),
                chip: z
                  .string()
                  .regex(/^(\/dev\/)?gpiochip\d+$/, "a GPIO chip like gpiochip0 (run gpiodetect)"),
                pins: PeripheralPins.refine((p) => Object.values(p).every((n) => n <= 27), {
                  message: "BCM GPIO numbers 0–27 (the 40-pin header)",
                }),
              })
              .strict(),
          ])
          .optional(),
      })
      .prefault({}),
    /** Store-and-forward upload to the county archive over MQTT (docs/mqtt-api.md). */
    upload: z
      .object({
        enabled: z.boolean().default(true),
        /**
         * "embedded": an in-process MQTT broker and county archive receiver, for the demo and
         * for a station that runs alone. Otherwise the county broker.
         */
        broker: z
          .union([
            z.literal("embedded"),
            z
              .object({
                url: z
                  .string()
                  .regex(/^mqtts?:\/\/[^/]+$/, "mqtts://host:port (or mqtt:// on a trusted network)"),
                /** Defaults to the station id, which the broker's ACL keys on. */
                username: z.string().min(1).optional(),
                /** A file holding only the password, so the config can be shared without it. */
                passwordFile: z.string().min(1).optional(),
                /** The county CA certificate to pin; required for mqtts://. */
                caFile: z.string().min(1).optional(),
              })
              .strict()
              .refine((b) => !b.url.startsWith("mqtts://") || b.caFile, {
                message: "mqtts:// needs caFile: the county CA certificate to pin",
                path: ["caFile"],
              }),
          ])
          .default("embedded"),
        /** Embedded only: where the in-process archive keeps what it receives. */
        embeddedArchiveDir: z.string().default("var/county-archive"),
        /** Records published and awaiting the archive's acknowledgement at once. */
        window: z.number().int().min(1).max(1000).default(UPLOAD_WINDOW_DEFAULT),
        ackTimeoutSeconds: z.number().int().min(5).max(3600).default(60),
        /**
         * An ack payload larger than this is dropped unread (checked before parsing). 1000 acks
         * with the longest reasons fit in about 0.6 MiB.
         */
        maxAckBytes: z
          .number()
          .int()
          .min(1024)
          .max(16 * 1024 * 1024)
          .default(1024 * 1024),
      })
      .strict()
      .prefault({}),
    /**
     * The county's retention setting: records the archive has acknowledged are kept on the
     * station this many days (by station-local day), then pruned to a compact summary that the
     * health card still shows. null (the default) keeps them. Pending and rejected records are
     * never pruned, and nothing is pruned while the clock is suspect.
     */
    retention: z
      .object({
        ackedRecordDays: z.number().int().min(30).max(36_500).nullable().default(null),
      })
      .strict()
      .prefault({}),
    /** The village doctor's console (docs/doctor.md). */
    doctor: z
      .object({
        doctors: z
          .array(DoctorConfig)
          .default([])
          .refine((ds) => new Set(ds.map((d) => d.id)).size === ds.length, {
            message: "doctor ids must be unique",
          }),
        /** Signed out after this long without a touch. */
        idleSeconds: z.number().int().min(30).max(900).default(180),
        /** The first wrong PIN locks the doctor out this long; each further one doubles it. */
        lockoutBaseSeconds: z.number().int().min(1).max(600).default(5),
        lockoutMaxSeconds: z.number().int().min(60).max(86400).default(3600),
      })
      .strict()
      .prefault({}),
    /**
     * Free space kept in reserve on the data folder's disk: below it no new check-up starts (the
     * villager is asked to call the doctor), so a save never meets a full disk. Sized for a day
     * of check-ups, their upload state and the logs many times over.
     */
    disk: z
      .object({
        reserveMb: z.number().int().min(0).max(1_000_000).default(200),
        checkSeconds: z.number().int().min(5).max(3600).default(30),
      })
      .strict()
      .prefault({}),
    log: z
      .object({
        level: z.enum(["debug", "info", "warn", "error"]).default("info"),
      })
      .prefault({}),
    /** County fleet management (docs/fleet.md): health reports and alarm limits; the county may set them. */
    fleet: z
      .object({
        /** Health metrics are sent on a change beyond their deadband, and at least this often. */
        healthPeriodSeconds: z.number().int().min(10).max(3600).default(300),
        /** How often the station checks its health and alarm conditions. */
        checkSeconds: z.number().int().min(1).max(600).default(10),
        alarms: z
          .object({
            /** A device disconnected for longer raises "device-disconnected". */
            deviceDownSeconds: z.number().int().min(1).max(86_400).default(300),
            /** The oldest unsent record older than this raises "backlog-old". */
            backlogMaxAgeMinutes: z.number().int().min(1).max(43_200).default(1440),
            /** Less free space on the data disk raises "disk-low". */
            diskLowMegabytes: z.number().int().min(1).max(1_000_000).default(500),
            /** A help request unanswered (its session still open) this long raises "help-waiting". */
            helpWaitingSeconds: z.number().int().min(1).max(3600).default(120),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type StationConfig = z.infer<typeof StationConfig>;
export type StationConfigInput = z.input<typeof StationConfig>;
