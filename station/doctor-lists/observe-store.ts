/**
 * A RecordStore that tells a listener about every record saved through it, after the save is
 * durable. The composition root hands this to the check-up runtime (and the doctor console), so
 * the lists' index follows every new record without re-reading the store.
 */
import type { CheckupRecord } from "../domain/schema.js";
import type { RecordStore } from "../storage/types.js";

export function observeSaves<S extends RecordStore>(store: S, onSaved: (r: CheckupRecord) => void): S {
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === "save")
        return async (record: CheckupRecord) => {
          await target.save(record);
          onSaved(record);
        };
      const v = Reflect.get(target, prop, receiver);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
}
