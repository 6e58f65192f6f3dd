/** What the fleet agent needs of the station's one MQTT connection (the uploader's BrokerLink). */
export interface FleetLink {
  publish(topic: string, payload: string, retain?: boolean): boolean;
  rebirth(): boolean;
  /** Start sending the outbox now. */
  kick(): void;
  on(event: "message", fn: (topic: string, payload: Buffer) => void): unknown;
  on(event: "up", fn: () => void): unknown;
  on(event: "oversized", fn: (detail: string) => void): unknown;
  off(event: "message", fn: (topic: string, payload: Buffer) => void): unknown;
  off(event: "up", fn: () => void): unknown;
  off(event: "oversized", fn: (detail: string) => void): unknown;
}
