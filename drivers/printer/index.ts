export * from "./escpos.js";
export { EscPosPrinter, type EscPosPrinterOptions } from "./printer.js";
export { type PrintedLine, PrinterSimulator } from "./simulator.js";
export * from "./status.js";
