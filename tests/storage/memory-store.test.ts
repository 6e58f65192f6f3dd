import { createMemoryStore } from "../../station/storage/memory-store.js";
import { recordStoreContract } from "./contract.js";

recordStoreContract("memory store", async (opts) => {
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
});
