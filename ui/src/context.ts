/**
 * One context wires the models to the injected station client. The kiosk entry passes the
 * WebSocket client; tests pass a fake.
 */
import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { StationClient } from "./client/station-client.js";
import type { DoctorCall } from "./doctor/api.js";
import { createDoctorModel, type DoctorModel } from "./doctor/doctor-model.js";
import { createKeypadModel, type KeypadModel } from "./models/keypad-model.js";
import { createStationModel, type ModelDeps, type StationModel } from "./models/station-model.js";

export interface AppModels {
  station: StationModel;
  keypad: KeypadModel;
  doctor: DoctorModel;
}

export function createModels(
  client: StationClient,
  deps: ModelDeps & { doctorCall?: DoctorCall } = {},
): AppModels {
  const station = createStationModel(client, deps);
  const doctor = createDoctorModel(client, deps.doctorCall);
  // Manual ID entry is a doctor's act: the keypad submits through the signed-in console.
  const keypad = createKeypadModel({
    submit: (idNumber, name) => doctor.manualId(idNumber, name),
    close: () => {
      station.closeKeypad();
      if (doctor.screen.value === "keypad") doctor.open(null);
    },
  });
  return { station, keypad, doctor };
}

export const ModelsContext = createContext<AppModels | null>(null);

export function useModels(): AppModels {
  const models = useContext(ModelsContext);
  if (!models) throw new Error("ModelsContext is missing: render inside <ModelsContext.Provider>");
  return models;
}
