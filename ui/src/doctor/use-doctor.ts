/** The doctor model and its translate function, for console components. */
import { useModels } from "../context.js";
import { type DoctorTextKey, dt } from "./texts.js";

export function useDoctor() {
  const { doctor, station } = useModels();
  const lang = station.lang.value;
  return {
    doctor,
    station,
    lang,
    d: (k: DoctorTextKey, p?: Record<string, string | number>) => dt(lang, k, p),
  };
}
