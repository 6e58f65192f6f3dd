import { createMemoryStore } from "../../station/storage/memory-store.js";
import { type HarnessFactory, recordStoreContract } from "./contract.js";
import { syncContract } from "./contract-sync.js";

const factory: HarnessFactory = async (opts) => {
  const store = createMemoryStore({ initial: opts?.invalid ?? [] });
  await store.open();
  return {
    store,
    reopen: async () => {
      await store.close();
      await store.open();
      return store;
    },
    cleanup: () => store.close(),
  };
};

recordStoreContract("memory store", factory);
syncContract("memory store", factory);
