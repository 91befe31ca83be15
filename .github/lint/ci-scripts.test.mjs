// The scripts the workflows run (scripts/ci/), run for real here: head-of-main.sh against a local bare git
// repository as "origin"; sweep-e2e-clusters.sh and pr-comment.sh against stand-ins for gcloud and gh that answer
// as the real ones do and record every command line; and what upload-artifact keeps of a file backend's state.
// destroy-stack.sh and stack-exists.sh need the Pulumi CLI: DeliveryScriptsIT runs them on the real engine.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const ci = process.env.CI_SCRIPTS_DIR ?? join(root, "scripts", "ci");

function tmp(t) {
  const dir = mkdtempSync(join(tmpdir(), "ci-scripts-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: "utf8", ...opts });
  return { status: r.status, out: r.stdout, err: r.stderr, all: r.stdout + r.stderr };
}

function git(cwd, ...args) {
  const r = run("git", ["-c", "user.name=ci", "-c", "user.email=ci@example.invalid", "-c", "init.defaultBranch=main", ...args], { cwd });
  assert.equal(r.status, 0, `git ${args.join(" ")}: ${r.all}`);
  return r.out.trim();
}

/** A bare repository as origin and a clone of it with two commits on main, both pushed. */
function repository(t) {
  const dir = tmp(t);
  git(dir, "init", "--bare", "origin.git");
  git(dir, "clone", "origin.git", "work");
  const work = join(dir, "work");
  writeFileSync(join(work, "f"), "1");
  git(work, "add", "f");
  git(work, "commit", "-m", "first");
  git(work, "push", "origin", "HEAD:main");
  const first = git(work, "rev-parse", "HEAD");
  writeFileSync(join(work, "f"), "2");
  git(work, "commit", "-am", "second");
  git(work, "push", "origin", "HEAD:main");
  const second = git(work, "rev-parse", "HEAD");
  return { dir, work, first, second };
}

function headOfMain(repo, sha, extra = {}) {
  const output = join(repo.dir, `output-${Math.random()}`);
  const summary = join(repo.dir, `summary-${Math.random()}`);
  writeFileSync(output, "");
  writeFileSync(summary, "");
  const r = run(join(ci, "head-of-main.sh"), ["dev"], {
    cwd: repo.work,
    env: { ...process.env, GITHUB_SHA: sha, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary, ...extra },
  });
  return { ...r, output: readFileSync(output, "utf8"), summary: readFileSync(summary, "utf8") };
}

test("head-of-main.sh: the head of main is deployed", (t) => {
  const repo = repository(t);
  const r = headOfMain(repo, repo.second);
  assert.equal(r.status, 0, r.all);
  assert.equal(r.output, "deploy=true\n");
});

test("head-of-main.sh: an older commit is not deployed once main has moved on, and the run says so", (t) => {
  const repo = repository(t);
  const r = headOfMain(repo, repo.first);
  assert.equal(r.status, 0, r.all);
  assert.equal(r.output, "deploy=false\n");
  assert.match(r.out, /^::notice title=Up skipped::No up of dev: this run's commit [0-9a-f]{40} is no longer the head of main/m);
  assert.match(r.summary, new RegExp(`### Up skipped[\\s\\S]*${repo.first}[\\s\\S]*${repo.second}`));
});

test("head-of-main.sh: a commit a person chose (workflow_dispatch input) is deployed, with a notice", (t) => {
  const repo = repository(t);
  const r = headOfMain(repo, repo.first, { CHOSEN: "true" });
  assert.equal(r.status, 0, r.all);
  assert.equal(r.output, "deploy=true\n");
  assert.match(r.out, /::notice title=Up of a chosen commit::/);
  // A run that was not dispatched passes CHOSEN=false: no override.
  assert.equal(headOfMain(repo, repo.first, { CHOSEN: "false" }).output, "deploy=false\n");
});

test("head-of-main.sh: when main cannot be read, no up (fail closed)", (t) => {
  const repo = repository(t);
  const r = headOfMain(repo, repo.second, { REMOTE: join(repo.dir, "no-such-remote.git") });
  assert.notEqual(r.status, 0);
  assert.equal(r.output, "", "no deploy=true");
  assert.match(r.err, /::error title=Head of main unknown::/);
});

/** A directory on PATH with a stand-in command (a bash script). */
function standIn(dir, name, body) {
  const bin = join(dir, "bin");
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, name), `#!/usr/bin/env bash\nset -euo pipefail\n${body}\n`);
  chmodSync(join(bin, name), 0o755);
  return bin;
}

/** gcloud as the sweep calls it: `container clusters list` prints $CLUSTERS; `delete` fails for $FAIL_DELETE. */
function sweep(t, clusters, args, env = {}) {
  const dir = tmp(t);
  const log = join(dir, "gcloud.log");
  const summary = join(dir, "summary.md");
  writeFileSync(join(dir, "clusters.json"), JSON.stringify(clusters));
  const bin = standIn(dir, "gcloud", `
printf '%s\\n' "$*" >> "${log}"
case "$1 $2 $3" in
  "container clusters list") cat "${join(dir, "clusters.json")}" ;;
  "container clusters delete") [ "$4" != "\${FAIL_DELETE:-}" ] || { echo "ERROR: delete $4 failed" >&2; exit 1; } ;;
  *) echo "unexpected gcloud $*" >&2; exit 3 ;;
esac`);
  const r = run(join(ci, "sweep-e2e-clusters.sh"), args, {
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, GITHUB_STEP_SUMMARY: summary, ...env },
  });
  let calls = [];
  try { calls = readFileSync(log, "utf8").trim().split("\n"); } catch { /* never called */ }
  let table = "";
  try { table = readFileSync(summary, "utf8"); } catch { /* none */ }
  return { ...r, calls, table };
}

// 2026-06-01T12:00:00Z
const NOW = String(Date.UTC(2026, 5, 1, 12) / 1000);
const CLUSTERS = [
  { name: "e2e-111-1", location: "us-central1-f", createTime: "2026-06-01T04:30:00+00:00" }, // 7.5 h: deleted
  { name: "e2e-222-1", location: "us-central1-f", createTime: "2026-06-01T10:00:00+00:00" }, // 2 h: a live run, kept
  { name: "e2e-333-2", location: "us-east1-b", createTime: "2026-05-30T12:00:00+00:00" }, // 48 h: deleted
];

test("sweep-e2e-clusters.sh: lists by project, name prefix and label; deletes those older than the limit by createTime", (t) => {
  const r = sweep(t, CLUSTERS, ["--project", "e2e-proj", "--older-than-hours", "6"], { SWEEP_NOW: NOW });
  assert.equal(r.status, 0, r.all);
  assert.deepEqual(r.calls, [
    "container clusters list --project e2e-proj --filter name ~ ^e2e- AND resourceLabels.part-of=memcached-gke --format json",
    "container clusters delete e2e-111-1 --location us-central1-f --project e2e-proj --quiet",
    "container clusters delete e2e-333-2 --location us-east1-b --project e2e-proj --quiet",
  ]);
  assert.match(r.out, /e2e-222-1 \(us-central1-f\) is 2 h old: kept/);
  assert.match(r.table, /\| e2e-111-1 \| us-central1-f \| 2026-06-01T04:30:00\+00:00 \| 7 \| \*\*deleted\*\*/);
  assert.match(r.table, /\| e2e-222-1 \| .* \| 2 \| kept \|/);
});

test("sweep-e2e-clusters.sh: a dry run deletes nothing; a cluster without the prefix is never deleted", (t) => {
  const dry = sweep(t, CLUSTERS, ["--project", "p", "--older-than-hours", "6", "--dry-run"], { SWEEP_NOW: NOW });
  assert.equal(dry.status, 0, dry.all);
  assert.equal(dry.calls.filter((c) => c.includes(" delete ")).length, 0);
  assert.match(dry.out, /e2e-111-1 .* would be deleted \(dry run\)/);
  // Should the filter ever be wrong, what gcloud returns is checked again.
  const odd = sweep(t, [{ name: "demo-cluster", location: "us-central1-f", createTime: "2020-01-01T00:00:00+00:00" }],
    ["--project", "p", "--older-than-hours", "6"], { SWEEP_NOW: NOW });
  assert.equal(odd.status, 0, odd.all);
  assert.equal(odd.calls.filter((c) => c.includes(" delete ")).length, 0);
  assert.match(odd.err, /demo-cluster, which lacks the prefix e2e-: left alone/);
});

test("sweep-e2e-clusters.sh --name: the destroy job's own cluster, whatever its age; a failed delete fails the job", (t) => {
  const one = [{ name: "e2e-444-1", location: "us-central1-f", createTime: "2026-06-01T11:59:00+00:00" }];
  const r = sweep(t, one, ["--project", "p", "--name", "e2e-444-1", "--older-than-hours", "0"], { SWEEP_NOW: NOW });
  assert.equal(r.status, 0, r.all);
  assert.deepEqual(r.calls, [
    "container clusters list --project p --filter name=e2e-444-1 AND resourceLabels.part-of=memcached-gke --format json",
    "container clusters delete e2e-444-1 --location us-central1-f --project p --quiet",
  ]);
  const failed = sweep(t, one, ["--project", "p", "--name", "e2e-444-1", "--older-than-hours", "0"], { SWEEP_NOW: NOW, FAIL_DELETE: "e2e-444-1" });
  assert.equal(failed.status, 1);
  assert.match(failed.out, /::error title=Sweep::could not delete cluster e2e-444-1/);
  assert.match(failed.table, /delete FAILED/);
  const none = sweep(t, [], ["--project", "p", "--name", "e2e-444-1", "--older-than-hours", "0"], { SWEEP_NOW: NOW });
  assert.equal(none.status, 0, "no cluster left: nothing to do");
});

test("sweep-e2e-clusters.sh: refuses to run without a project, with a prefix that could match the real clusters, or a name outside it", (t) => {
  for (const args of [["--older-than-hours", "6"], ["--project", "p", "--older-than-hours", "6", "--prefix", ""],
    ["--project", "p", "--older-than-hours", "6", "--prefix", "demo"], ["--project", "p", "--older-than-hours", "x"],
    ["--project", "p", "--older-than-hours", "0", "--name", "memcached-prod"]]) {
    const r = sweep(t, CLUSTERS, args, { SWEEP_NOW: NOW });
    assert.equal(r.status, 2, `${args.join(" ")}: ${r.all}`);
    assert.deepEqual(r.calls, [], `${args.join(" ")}: gcloud not called`);
  }
});

/**
 * gh as pr-comment.sh calls it, over a pull request with `count` comments: like GitHub's API, a list without
 * --paginate returns the first page (30 comments); --jq is applied with the real jq. Records PATCH and POST.
 */
function prComment(t, count, markerAt) {
  const dir = tmp(t);
  const marker = "<!-- memcached-gke:preview:dev -->";
  const comments = Array.from({ length: count }, (_, i) => ({ id: 1000 + i, body: i === markerAt ? `${marker}\nold` : `comment ${i}` }));
  writeFileSync(join(dir, "comments.json"), JSON.stringify(comments));
  const log = join(dir, "gh.log");
  const bin = standIn(dir, "gh", `
printf '%s\\n' "$*" >> "${log}"
[ "$1" = api ] || exit 3; shift
if [ "$1" = --method ]; then
  method=$2; path=$3; body=\${5#body=@}
  printf '%s %s\\n' "$method" "$path" >> "${log}"
  cat "$body" > "${join(dir, "posted.md")}"
  exit 0
fi
page='.[0:30]'
if [ "$1" = --paginate ]; then page='.'; shift; fi
[ "$2" = --jq ] || exit 3
jq -c "$page" "${join(dir, "comments.json")}" | jq -r "$3"`);
  writeFileSync(join(dir, "body.md"), "#### preview of dev: passed\n");
  const r = run(join(ci, "pr-comment.sh"), [marker, join(dir, "body.md")], {
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, GITHUB_REPOSITORY: "o/r", PR_NUMBER: "7", GH_TOKEN: "x" },
  });
  const calls = readFileSync(log, "utf8").trim().split("\n");
  let posted = "";
  try { posted = readFileSync(join(dir, "posted.md"), "utf8"); } catch { /* none */ }
  return { ...r, calls, posted, marker };
}

test("pr-comment.sh: finds its earlier comment beyond the first 30 and edits it (pulumi/actions' own would post again)", (t) => {
  const r = prComment(t, 40, 33);
  assert.equal(r.status, 0, r.all);
  assert.ok(r.calls[0].startsWith("api --paginate repos/o/r/issues/7/comments --jq"), r.calls[0]);
  assert.ok(r.calls.includes("PATCH repos/o/r/issues/comments/1033"), r.calls.join("\n"));
  assert.equal(r.posted, `${r.marker}\n#### preview of dev: passed\n`);
});

test("pr-comment.sh: posts a new comment when there is none of its own", (t) => {
  const r = prComment(t, 5, -1);
  assert.equal(r.status, 0, r.all);
  assert.ok(r.calls.includes("POST repos/o/r/issues/7/comments"), r.calls.join("\n"));
});

/**
 * What actions/upload-artifact uploads from a path: its src/shared/search.ts hands @actions/glob
 * excludeHiddenFiles: !include-hidden-files, and the globber (toolkit packages/glob/src/internal-globber.ts) skips
 * every item whose basename starts with "." - the search root included - before it descends into it.
 */
function uploaded(searchRoot, includeHiddenFiles) {
  const out = [];
  const stack = [searchRoot];
  while (stack.length) {
    const item = stack.pop();
    if (!includeHiddenFiles && basename(item).startsWith(".")) continue;
    if (statSync(item).isDirectory()) {
      for (const e of readdirSync(item)) stack.push(join(item, e));
    } else {
      out.push(relative(dirname(searchRoot), item));
    }
  }
  return out.sort();
}

test("a file backend's state is kept only with include-hidden-files: true (every upload in the workflows sets it)", (t) => {
  const dir = tmp(t);
  // The layout the Pulumi CLI 3.248.0 writes for a file:// backend (DeliveryScriptsIT reads it back).
  const state = join(dir, "pulumi-state");
  mkdirSync(join(state, ".pulumi", "stacks", "memcached-gke"), { recursive: true });
  writeFileSync(join(state, ".pulumi", "meta.yaml"), "version: 1\n");
  writeFileSync(join(state, ".pulumi", "stacks", "memcached-gke", "e2e-1-1.json"), "{}\n");
  assert.deepEqual(uploaded(state, false), [], "the default keeps nothing of the state: it is all under .pulumi/");
  assert.deepEqual(uploaded(state, true), [
    "pulumi-state/.pulumi/meta.yaml",
    "pulumi-state/.pulumi/stacks/memcached-gke/e2e-1-1.json",
  ]);
});
