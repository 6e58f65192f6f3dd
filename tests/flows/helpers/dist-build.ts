/**
 * Builds the server code the way `npm run build:server` does (tsconfig.build.json), into a temp
 * folder laid out like the repo: <tmp>/dist plus links to package.json, node_modules, flows/
 * and docs/. The county then finds its HTML, flow template and schemas exactly as from dist/.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const REPO = resolve(import.meta.dirname, "../../..");

export interface Built {
  root: string;
  countyJs: string;
  cleanup(): Promise<void>;
}

export async function buildDist(): Promise<Built> {
  const root = await mkdtemp(join(tmpdir(), "hs-dist-"));
  for (const f of ["package.json", "node_modules", "flows", "docs"])
    await symlink(join(REPO, f), join(root, f));
  const tsc = join(REPO, "node_modules", "typescript", "bin", "tsc");
  try {
    execFileSync(
      process.execPath,
      [tsc, "-p", join(REPO, "tsconfig.build.json"), "--outDir", join(root, "dist")],
      {
        stdio: "pipe",
      },
    );
  } catch (err) {
    // Type errors elsewhere in the tree still emit; only a missing output of ours is fatal.
    if (!existsSync(join(root, "dist", "flows", "county.js"))) throw err;
  }
  return {
    root,
    countyJs: join(root, "dist", "flows", "county.js"),
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}
