/**
 * Makes a data folder private to the service user: the folder and every folder below it 0700,
 * every file 0600. Run at open() so a folder written by an older version (0755 / 0644) is
 * tightened once; new files are created private by fs-layer.ts. A file loosened by hand later
 * inside a 0700 folder is not re-checked; the folder alone still keeps other users out.
 */
import { chmod, lstat, mkdir, readdir } from "node:fs/promises";
import { join } from "node:path";

export async function makePrivate(root: string): Promise<number> {
  await mkdir(root, { recursive: true, mode: 0o700 });
  // A folder this version has opened before (it has keys/) and that is still 0700 was made
  // private then, and everything since was created private: skip the walk on every start.
  const rootPrivate = ((await lstat(root)).mode & 0o777) === 0o700;
  const seenBefore = await lstat(join(root, "keys")).then(
    () => true,
    () => false,
  );
  if (rootPrivate && seenBefore) return 0;
  return tighten(root);
}

/** Returns how many modes it changed. Symlinks are left alone (chmod would follow them). */
async function tighten(path: string): Promise<number> {
  let st: Awaited<ReturnType<typeof lstat>>;
  try {
    st = await lstat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return 0; // removed meanwhile
    throw err;
  }
  if (st.isSymbolicLink()) return 0;
  const want = st.isDirectory() ? 0o700 : 0o600;
  let changed = 0;
  if ((st.mode & 0o777) !== want) {
    await chmod(path, want);
    changed++;
  }
  if (st.isDirectory()) for (const name of await readdir(path)) changed += await tighten(join(path, name));
  return changed;
}
