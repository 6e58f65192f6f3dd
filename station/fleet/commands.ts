/**
 * Commands from the county (fleet-contract.ts Command): each is checked (shape, time-to-live,
 * known name), run at most once per request id, answered on the station's answer topic, and
 * written to the station's audit log. Only the county's admin identity can publish to the
 * command topic (flows/broker/acl); the station still validates everything it is sent.
 */
import { appendFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { type Answer, Command } from "../mqtt/fleet-contract.js";
import type { Logger } from "../util/logger.js";

export type CommandResult = { status: "done"; result?: unknown } | { status: "failed"; reason: string };
export type CommandRun = (args: Record<string, unknown>) => CommandResult | Promise<CommandResult>;

type AnswerBody = Omit<Answer, "v" | "type" | "at">;

/** Answers kept for repeated request ids (a county retrying after a lost answer). */
const REMEMBERED = 200;

export class CommandHandler {
  readonly #seen = new Map<string, AnswerBody>();

  constructor(
    private readonly o: {
      run: Partial<Record<string, CommandRun>>;
      answer: (a: AnswerBody) => void;
      auditFile: string;
      nowMs: () => number;
      logger: Logger;
    },
  ) {}

  async handle(payload: Buffer): Promise<void> {
    let raw: unknown;
    try {
      raw = JSON.parse(payload.toString("utf8"));
    } catch {
      return this.#finish(null, {
        id: "?",
        about: "command",
        status: "refused",
        reason: "malformed: not JSON",
      });
    }
    const parsed = Command.safeParse(raw);
    const rawId =
      typeof (raw as { id?: unknown })?.id === "string"
        ? String((raw as { id: string }).id).slice(0, 64)
        : "?";
    if (!parsed.success) {
      const errors = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
      return this.#finish(null, {
        id: rawId,
        about: "command",
        status: "refused",
        reason: "malformed",
        errors,
      });
    }
    const cmd = parsed.data;
    const again = this.#seen.get(cmd.id);
    if (again) {
      // Same id: the same answer again, without running it twice.
      this.o.answer(again);
      return;
    }
    if (Date.parse(cmd.expiresAt) < this.o.nowMs())
      return this.#finish(cmd, {
        id: cmd.id,
        about: "command",
        status: "expired",
        reason: `expired at ${cmd.expiresAt}`,
      });
    const run = this.o.run[cmd.name];
    if (!run)
      return this.#finish(cmd, {
        id: cmd.id,
        about: "command",
        status: "refused",
        reason: `unknown command ${cmd.name}`,
      });
    let r: CommandResult;
    try {
      r = await run(cmd.args);
    } catch (err) {
      r = { status: "failed", reason: (err as Error).message };
    }
    this.#finish(
      cmd,
      r.status === "done"
        ? {
            id: cmd.id,
            about: "command",
            status: "done",
            ...(r.result === undefined ? {} : { result: r.result }),
          }
        : { id: cmd.id, about: "command", status: "failed", reason: r.reason },
    );
  }

  #finish(cmd: Command | null, a: AnswerBody): void {
    if (cmd) {
      this.#seen.set(cmd.id, a);
      if (this.#seen.size > REMEMBERED) this.#seen.delete(this.#seen.keys().next().value as string);
    }
    this.#audit(cmd, a);
    this.o.answer(a);
  }

  #audit(cmd: Command | null, a: AnswerBody): void {
    const line = {
      at: new Date(this.o.nowMs()).toISOString(),
      id: a.id,
      name: cmd?.name ?? null,
      status: a.status,
      ...(a.reason ? { reason: a.reason } : {}),
    };
    try {
      mkdirSync(dirname(this.o.auditFile), { recursive: true });
      appendFileSync(this.o.auditFile, `${JSON.stringify(line)}\n`);
    } catch (err) {
      this.o.logger.error(`command audit not written: ${(err as Error).message}`);
    }
    this.o.logger.info(`command ${line.name ?? "?"} ${a.id}: ${a.status}${a.reason ? ` (${a.reason})` : ""}`);
  }
}
