/** The slice of the Node-RED runtime API our nodes use (node-red ships no TypeScript types). */
export interface NodeStatus {
  fill?: "red" | "green" | "yellow" | "blue" | "grey";
  shape?: "ring" | "dot";
  text?: string;
}

export interface NodeMessage {
  topic?: unknown;
  payload?: unknown;
  [key: string]: unknown;
}

export interface RedNode {
  id: string;
  on(
    event: "input",
    cb: (msg: NodeMessage, send: (m: unknown) => void, done: (err?: unknown) => void) => void,
  ): void;
  on(event: "close", cb: (removed: boolean, done: () => void) => void): void;
  send(msg: unknown): void;
  status(s: NodeStatus): void;
  warn(m: unknown): void;
  error(m: unknown, msg?: NodeMessage): void;
  log(m: unknown): void;
}

export interface NodeRedApi {
  nodes: {
    createNode(node: RedNode, config: object): void;
    registerType(type: string, ctor: (this: RedNode, config: never) => void, opts?: object): void;
    getNode(id: string): unknown;
  };
  settings: Record<string, unknown> & { userDir?: string };
}
