/**
 * `BluezApi`: the part of node-ble (BlueZ over the D-Bus system bus) the station calls, as
 * our own interface. `BluezTransport` depends on this only, so its tests inject a fake of
 * this interface instead of faking node-ble. `createNodeBleApi` is the thin real
 * implementation; node-ble is imported lazily, because on a machine without D-Bus or
 * without the package the rest of the station must still load.
 *
 * node-ble facts this relies on (node-ble 1.13 src/): `createBluetooth()` opens the system
 * bus and returns `{bluetooth, destroy}`; a missing bus socket is reported only as an
 * 'error' event on the dbus-next bus (`bluetooth.dbus`), and pending calls never settle,
 * so the wrapper listens for that event and races it. `waitDevice` polls the adapter's
 * known devices (paired devices are always known). GATT lookups key on BlueZ's lower-case
 * 128-bit UUID strings. `Device.disconnect()` also drops node-ble's D-Bus signal listeners.
 */
export interface BluezCharacteristicApi {
  startNotifications(): Promise<void>;
  stopNotifications(): Promise<void>;
  /** Each notification/indication value; returns a function that removes the listener. */
  onValue(fn: (value: Uint8Array) => void): () => void;
  /** Write with response (ATT Write Request). */
  writeValue(value: Uint8Array): Promise<void>;
}

export interface BluezServiceApi {
  getCharacteristic(uuid: string): Promise<BluezCharacteristicApi>;
}

export interface BluezGattApi {
  getPrimaryService(uuid: string): Promise<BluezServiceApi>;
}

export interface BluezDeviceApi {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  /** BlueZ's Paired property: a bond (keys) is stored for this device. */
  isPaired(): Promise<boolean>;
  /** Resolves once BlueZ has discovered the GATT services of the connected device. */
  gatt(): Promise<BluezGattApi>;
  /** Called when BlueZ reports Connected=false; returns an unsubscribe function. */
  onDisconnect(fn: () => void): () => void;
}

export interface BluezAdapterApi {
  /** Rejects with an Error whose message is "operation timed out" if BlueZ does not know it. */
  waitDevice(address: string, timeoutMs: number): Promise<BluezDeviceApi>;
}

export interface BluezApi {
  /** The first adapter BlueZ lists (hci0). Rejects if the bus or BlueZ is not reachable. */
  defaultAdapter(): Promise<BluezAdapterApi>;
  /** Closes the D-Bus connection. */
  close(): void;
}

/* Structural types of the node-ble objects used (its own .d.ts lacks `dbus`). */
interface NbEmitter {
  on(event: string, fn: (...args: never[]) => void): unknown;
  off(event: string, fn: (...args: never[]) => void): unknown;
}
interface NbCharacteristic extends NbEmitter {
  startNotifications(): Promise<void>;
  stopNotifications(): Promise<void>;
  writeValueWithResponse(value: Buffer): Promise<void>;
}
interface NbDevice extends NbEmitter {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  isPaired(): Promise<boolean>;
  gatt(): Promise<{
    getPrimaryService(uuid: string): Promise<{ getCharacteristic(uuid: string): Promise<NbCharacteristic> }>;
  }>;
}
interface NbModule {
  createBluetooth(): {
    bluetooth: {
      dbus?: NbEmitter;
      defaultAdapter(): Promise<{ waitDevice(a: string, t?: number): Promise<NbDevice> }>;
    };
    destroy(): void;
  };
}

type Loader = (specifier: string) => Promise<unknown>;
const dynamicImport: Loader = (s) => import(s);

function wrapCharacteristic(c: NbCharacteristic): BluezCharacteristicApi {
  return {
    startNotifications: () => c.startNotifications(),
    stopNotifications: () => c.stopNotifications(),
    onValue(fn) {
      const listener = (buf: Buffer) => fn(new Uint8Array(buf));
      c.on("valuechanged", listener);
      return () => void c.off("valuechanged", listener);
    },
    writeValue: (value) => c.writeValueWithResponse(Buffer.from(value)),
  };
}

function wrapDevice(d: NbDevice): BluezDeviceApi {
  return {
    connect: () => d.connect(),
    disconnect: () => d.disconnect(),
    isPaired: () => d.isPaired(),
    async gatt() {
      const g = await d.gatt();
      return {
        async getPrimaryService(uuid) {
          const s = await g.getPrimaryService(uuid);
          return { getCharacteristic: async (u) => wrapCharacteristic(await s.getCharacteristic(u)) };
        },
      };
    },
    onDisconnect(fn) {
      const listener = () => fn();
      d.on("disconnect", listener);
      return () => void d.off("disconnect", listener);
    },
  };
}

/** The real BluezApi over node-ble. Loading or bus failures surface from defaultAdapter(). */
export async function createNodeBleApi(load: Loader = dynamicImport): Promise<BluezApi> {
  const m = (await load("node-ble")) as { default?: NbModule } & NbModule;
  const { bluetooth, destroy } = (m.default ?? m).createBluetooth();
  let busError: Error | null = null;
  const waiters = new Set<(e: Error) => void>();
  // Without this listener a missing /var/run/dbus/system_bus_socket is an uncaught 'error'.
  bluetooth.dbus?.on("error", (e: Error) => {
    busError = e;
    for (const w of waiters) w(e);
  });
  const failOnBusError = <T>(p: Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (busError) return reject(busError);
      waiters.add(reject);
      p.then(resolve, reject).finally(() => waiters.delete(reject));
    });
  return {
    async defaultAdapter() {
      const a = await failOnBusError(bluetooth.defaultAdapter());
      return {
        waitDevice: async (address, timeoutMs) =>
          wrapDevice(await failOnBusError(a.waitDevice(address, timeoutMs))),
      };
    },
    close() {
      try {
        destroy();
      } catch {
        // Already closed, or never opened: nothing to release.
      }
    },
  };
}
