/**
 * A simulated Bluetooth Glucose Profile meter with stored records. It answers RACP writes
 * with the same 0x2A18 / 0x2A34 / 0x2A52 bytes a real meter sends, refuses RACP on an
 * unbonded link, and can announce a new test unsolicited (`addRecord`).
 */
import { StationError } from "../../station/util/errors.js";
import type { SimLink, SimPeripheral } from "../ble/sim-transport.js";
import { GATT } from "../ble/transport.js";
import {
  encodeGlucoseContext,
  encodeGlucoseMeasurement,
  type GlucoseContextInput,
  type GlucoseMeasurementInput,
} from "./gls-codec.js";
import { decodeRacp, RACP_FILTER, RACP_OPCODE, RACP_OPERATOR, racp } from "./racp.js";

export interface SimGlucoseRecord {
  measurement: Omit<GlucoseMeasurementInput, "contextFollows">;
  /** Meal etc.; the sequence is taken from the measurement. */
  context?: Omit<GlucoseContextInput, "sequence">;
}

const RESPONSE = { success: 1, opcodeNotSupported: 2, operatorNotSupported: 4, noRecords: 6 } as const;

export class SimulatedGlucoseMeter implements SimPeripheral {
  readonly address: string;
  readonly #records: SimGlucoseRecord[];
  #link: SimLink | null = null;

  constructor(options: { address: string; records?: SimGlucoseRecord[] }) {
    this.address = options.address;
    this.#records = [...(options.records ?? [])];
  }

  get records(): readonly SimGlucoseRecord[] {
    return this.#records;
  }

  hasCharacteristic(service: string, characteristic: string): boolean {
    return (
      service === GATT.glucoseService &&
      [GATT.glucoseMeasurement, GATT.glucoseMeasurementContext, GATT.recordAccessControlPoint].includes(
        characteristic as never,
      )
    );
  }

  attach(link: SimLink): void {
    this.#link = link;
  }

  detach(): void {
    this.#link = null;
  }

  /** Stores a new test; while linked, sends it at once as a real meter does after a test. */
  addRecord(record: SimGlucoseRecord, options: { notify?: boolean } = {}): void {
    this.#records.push(record);
    if ((options.notify ?? true) && this.#link) this.#sendRecord(this.#link, record);
  }

  onWrite(service: string, characteristic: string, bytes: Uint8Array, link: SimLink): void {
    if (characteristic !== GATT.recordAccessControlPoint) return;
    // RACP is "write with authentication": an unbonded write fails at the ATT layer.
    if (!link.bonded) throw new StationError("ble-not-bonded", "RACP write needs a bonded link");
    link.notify(service, characteristic, this.#handleRacp(bytes, link));
  }

  /** Runs one RACP request (sending any records) and returns the final indication. */
  #handleRacp(bytes: Uint8Array, link: SimLink): Uint8Array {
    const opcode = bytes[0] ?? 0;
    const respond = (code: number) => racp.responseCode(opcode, code);
    const r = decodeRacp(bytes);
    if (!r.ok || r.value.kind !== "request") return respond(RESPONSE.opcodeNotSupported);
    const selected = this.#select(r.value.operator, bytes.subarray(2));
    switch (r.value.opcode) {
      case RACP_OPCODE.reportRecords:
        if (!selected) return respond(RESPONSE.operatorNotSupported);
        for (const rec of selected) this.#sendRecord(link, rec);
        return respond(selected.length ? RESPONSE.success : RESPONSE.noRecords);
      case RACP_OPCODE.reportCount:
        return selected ? racp.countResponse(selected.length) : respond(RESPONSE.operatorNotSupported);
      case RACP_OPCODE.deleteRecords:
        if (r.value.operator !== RACP_OPERATOR.all) return respond(RESPONSE.operatorNotSupported);
        this.#records.length = 0;
        return respond(RESPONSE.success);
      case RACP_OPCODE.abort:
        return respond(RESPONSE.success);
      default:
        return respond(RESPONSE.opcodeNotSupported);
    }
  }

  #select(operator: number, operand: Uint8Array): SimGlucoseRecord[] | null {
    const bySeq = [...this.#records].sort((a, b) => a.measurement.sequence - b.measurement.sequence);
    switch (operator) {
      case RACP_OPERATOR.all:
        return bySeq;
      case RACP_OPERATOR.first:
        return bySeq.slice(0, 1);
      case RACP_OPERATOR.last:
        return bySeq.slice(-1);
      case RACP_OPERATOR.greaterOrEqual: {
        if (operand[0] !== RACP_FILTER.sequenceNumber || operand.length < 3) return null;
        const from = operand[1]! | (operand[2]! << 8);
        return bySeq.filter((r) => r.measurement.sequence >= from);
      }
      default:
        return null;
    }
  }

  #sendRecord(link: SimLink, rec: SimGlucoseRecord): void {
    const seq = rec.measurement.sequence;
    link.notify(
      GATT.glucoseService,
      GATT.glucoseMeasurement,
      encodeGlucoseMeasurement({ ...rec.measurement, contextFollows: rec.context !== undefined }),
    );
    if (rec.context)
      link.notify(
        GATT.glucoseService,
        GATT.glucoseMeasurementContext,
        encodeGlucoseContext({ ...rec.context, sequence: seq }),
      );
  }
}
