/**
 * One context wires the models to the injected station client. The kiosk entry passes the
 * WebSocket client; tests pass a fake.
 */
import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { StationClient } from "./client/station-client.js";
import { createKeypadModel, type KeypadModel } from "./models/keypad-model.js";
import { createStationModel, type ModelDeps, type StationModel } from "./models/station-model.js";

export interface AppModels {
  station: StationModel;
  keypad: KeypadModel;
}

export function createModels(client: StationClient, deps: ModelDeps = {}): AppModels {
  const station = createStationModel(client, deps);
  const keypad = createKeypadModel({
    submit: (idNumber, name) =>
      station.send(
        name === undefined ? { type: "manual-id", idNumber } : { type: "manual-id", idNumber, name },
      ),
    close: station.closeKeypad,
  });
  return { station, keypad };
}

export const ModelsContext = createContext<AppModels | null>(null);

export function useModels(): AppModels {
  const models = useContext(ModelsContext);
  if (!models) throw new Error("ModelsContext is missing: render inside <ModelsContext.Provider>");
  return models;
}
