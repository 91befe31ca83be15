#!/usr/bin/env node
// `npm ci` in each directory given, unless its node_modules was installed from the same package-lock.json
// (a stamp with the lock file's SHA-256 is kept in node_modules). The test command (`./mvnw -B verify`) runs
// it for the policy pack and the workflow lint, so a fresh clone needs no manual `npm ci`.
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const npm = process.platform === "win32" ? "npm.cmd" : "npm";
for (const dir of process.argv.slice(2)) {
  const lock = join(dir, "package-lock.json");
  const stamp = join(dir, "node_modules", ".memcached-gke-lock.sha256");
  const want = createHash("sha256").update(readFileSync(lock)).digest("hex");
  if (existsSync(stamp) && readFileSync(stamp, "utf8").trim() === want) {
    console.log(`npm ci ${dir}: up to date`);
    continue;
  }
  execFileSync(npm, ["ci", "--prefix", dir, "--no-audit", "--no-fund", "--loglevel=error"], { stdio: "inherit" });
  writeFileSync(stamp, want + "\n");
  console.log(`npm ci ${dir}: installed`);
}
