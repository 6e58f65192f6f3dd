import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createFileStore } from "../../station/storage/file-store.js";
import { shardDayOf } from "../../station/storage/keys.js";
import type { InspectableRecordStore } from "../../station/storage/types.js";
import { type HarnessFactory, recordStoreContract } from "./contract.js";
import { syncContract } from "./contract-sync.js";

const factory: HarnessFactory = async (opts) => {
  const dir = await mkdtemp(join(tmpdir(), "store-contract-"));
  // Plant invalid records straight into their day shard, as an older build or a bit flip would leave them.
  for (const raw of opts?.invalid ?? []) {
    const id = (raw as { id: string }).id;
    const day = shardDayOf(id);
    await mkdir(join(dir, "records"), { recursive: true });
    await writeFile(
      join(dir, "records", `${day}.json`),
      JSON.stringify({ v: 1, day, records: { [id]: raw } }),
    );
  }
  let store: InspectableRecordStore = createFileStore({ dir });
  await store.open();
  return {
    store,
    reopen: async () => {
      await store.close();
      store = createFileStore({ dir });
      await store.open();
      return store;
    },
    cleanup: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
};

recordStoreContract("file store", factory);
syncContract("file store", factory);
