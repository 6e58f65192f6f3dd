/** `health-station <command>`: one binary for the kiosk service and the field tools. */
import { runStation } from "../main.js";

const USAGE = `usage: health-station <command> [options]

commands:
  start [--config FILE]     run the station (kiosk server, devices, upload)
  assess --sbp N --dbp N …  assess readings against a county policy pack (prints JSON)
  decode <kind> <hex>       decode bytes captured from a device (run without args for kinds)
  devices [--config FILE]   start the configured devices, show their status and the serial ports
  hash-pin [--id-number]    read a doctor's PIN (or ID number) on stdin, print its hash for the config
  export --person ID --out FILE [--config FILE]
                            write one person's check-up records as a JSON array (record contract)
  followup --records FILE --as-of YYYY-MM-DD [--policy FILE]
                            what each programme owes that person (prints JSON)
  config check --config F   validate a station config, listing every error (exit 78 if invalid)
  udev-rules --config FILE  udev rules naming the config's USB serial devices (install.sh)
  prepare-rollback [--config FILE]
                            with the service stopped: fold the data so an older release reads it all
  help                      this text
`;

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case "start":
      return runStation(rest);
    case "assess": {
      const { runAssess } = await import("./assess.js");
      const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(Date.now());
      return runAssess(rest, {
        stdout: (s) => process.stdout.write(s),
        stderr: (s) => process.stderr.write(s),
        today,
      });
    }
    case "decode": {
      const { runDecode } = await import("./decode.js");
      return runDecode(rest, {
        stdout: (s) => process.stdout.write(s),
        stderr: (s) => process.stderr.write(s),
      });
    }
    case "devices": {
      const { runDevices } = await import("./devices.js");
      return runDevices(rest, {
        stdout: (s) => process.stdout.write(s),
        stderr: (s) => process.stderr.write(s),
      });
    }
    case "hash-pin": {
      const { runHashPin, readStdin } = await import("./hash-pin.js");
      return runHashPin(rest, {
        stdin: readStdin,
        stdout: (s) => process.stdout.write(s),
        stderr: (s) => process.stderr.write(s),
      });
    }
    case "export": {
      const { runExport } = await import("./export-person.js");
      return runExport(rest, {
        stdout: (s) => process.stdout.write(s),
        stderr: (s) => process.stderr.write(s),
      });
    }
    case "config": {
      const { runConfigCheck } = await import("./install-tools.js");
      return runConfigCheck(rest, {
        stdout: (s) => process.stdout.write(s),
        stderr: (s) => process.stderr.write(s),
      });
    }
    case "followup": {
      const { runFollowup } = await import("./followup.js");
      return runFollowup(rest, {
        stdout: (s) => process.stdout.write(s),
        stderr: (s) => process.stderr.write(s),
      });
    }
    case "udev-rules": {
      const { runUdevRules } = await import("./install-tools.js");
      return runUdevRules(rest, {
        stdout: (s) => process.stdout.write(s),
        stderr: (s) => process.stderr.write(s),
      });
    }
    case "prepare-rollback": {
      const { runPrepareRollback } = await import("./prepare-rollback.js");
      return runPrepareRollback(rest, {
        stdout: (s) => process.stdout.write(s),
        stderr: (s) => process.stderr.write(s),
      });
    }
    case undefined:
    case "help":
    case "--help":
    case "-h":
      process.stdout.write(USAGE);
      return cmd === undefined ? 2 : 0;
    default:
      process.stderr.write(`health-station: unknown command "${cmd}"\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    console.error(`health-station: ${(e as Error).message}`);
    process.exitCode = 1;
  },
);
