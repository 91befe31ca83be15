// The workflows are code too: each is validated against GitHub's schema by action-validator, and
// against the rules this project relies on. Run by `npm test` here, and by the README's test command.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const workflowsDir = process.env.WORKFLOWS_DIR ?? join(root, ".github", "workflows");
const validator = join(here, "node_modules", ".bin", "action-validator");

const files = readdirSync(workflowsDir).filter((f) => /\.ya?ml$/.test(f)).sort();
const workflows = Object.fromEntries(files.map((f) => [f, parse(readFileSync(join(workflowsDir, f), "utf8"))]));
const steps = (wf) => Object.entries(wf.jobs ?? {}).flatMap(([job, j]) => (j.steps ?? []).map((s) => ({ job, j, s })));

/** The one test command, as the README gives it: the fenced block right after <!-- test-command -->. */
function readmeTestCommand() {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const match = readme.match(/<!-- test-command -->\s*```[a-z]*\n([^\n]+)\n```/);
  assert.ok(match, "README.md has no fenced test command after <!-- test-command -->");
  return match[1].trim();
}

test("there are workflows to check", () => {
  assert.deepEqual(files, ["deliver.yml", "pull-request.yml"]);
});

for (const file of files) {
  test(`${file}: valid for GitHub Actions (action-validator)`, () => {
    try {
      execFileSync(validator, [join(workflowsDir, file)], { stdio: "pipe" });
    } catch (e) {
      assert.fail(`action-validator rejects ${file}:\n${e.stdout}${e.stderr}`);
    }
  });

  test(`${file}: runs the README's test command before any deployment`, () => {
    const command = readmeTestCommand();
    const wf = workflows[file];
    const testJobs = Object.entries(wf.jobs).filter(([, j]) => (j.steps ?? []).some((s) => (s.run ?? "").includes(command)));
    assert.ok(testJobs.length > 0, `${file} never runs \`${command}\``);
    for (const { job, j, s } of steps(wf)) {
      if ((s.uses ?? "").startsWith("pulumi/actions@")) {
        const needs = [j.needs ?? []].flat();
        assert.ok(needs.length > 0, `${file}: job ${job} runs pulumi without waiting for the tests`);
      }
    }
  });

  test(`${file}: every pulumi step runs the policy pack`, () => {
    const pulumi = steps(workflows[file]).filter(({ s }) => (s.uses ?? "").startsWith("pulumi/actions@"));
    assert.ok(pulumi.length > 0, `${file} has no pulumi/actions step`);
    for (const { job, s } of pulumi) {
      assert.equal(s.with?.policyPacks, "policies", `${file}: job ${job} runs pulumi ${s.with?.command} without the policy pack`);
    }
  });

  test(`${file}: every action is pinned to a full version or a commit`, () => {
    for (const { job, s } of steps(workflows[file])) {
      if (s.uses) {
        assert.match(s.uses, /^[\w.-]+\/[\w.\/-]+@(v\d+\.\d+\.\d+|[0-9a-f]{40})$/, `${file}: job ${job} uses ${s.uses}`);
      }
    }
  });

  test(`${file}: least privilege and keyless GCP auth`, () => {
    const wf = workflows[file];
    assert.deepEqual(wf.permissions, {}, `${file}: top-level permissions must be {} (each job asks for its own)`);
    const text = readFileSync(join(workflowsDir, file), "utf8");
    assert.doesNotMatch(text, /credentials_json|GOOGLE_CREDENTIALS|service_account_key/, `${file} uses a JSON key`);
    for (const [job, j] of Object.entries(wf.jobs)) {
      const usesGcp = (j.steps ?? []).some((s) => (s.uses ?? "").startsWith("google-github-actions/auth@"));
      assert.equal(j.permissions?.["id-token"] === "write", usesGcp, `${file}: job ${job} id-token: write iff it authenticates to GCP`);
      assert.ok(!Object.values(j.permissions ?? {}).includes("write") || usesGcp || j.permissions["pull-requests"] === "write",
        `${file}: job ${job} asks for write access it does not use`);
    }
  });
}

test("pull requests: one preview per stack, commented, one run per PR at a time", () => {
  const wf = workflows["pull-request.yml"];
  assert.match(wf.concurrency.group, /github\.event\.pull_request\.number/);
  assert.equal(wf.concurrency["cancel-in-progress"], true);
  const preview = steps(wf).filter(({ s }) => s.with?.command === "preview");
  assert.equal(preview.length, 1);
  assert.deepEqual(wf.jobs[preview[0].job].strategy.matrix.stack, ["dev", "prod"]);
  assert.equal(preview[0].s.with["comment-on-pr"], true);
  assert.equal(wf.jobs[preview[0].job].permissions["pull-requests"], "write");
});

test("delivery: dev then prod behind the production environment, never two ups on a stack", () => {
  const wf = workflows["deliver.yml"];
  const ups = steps(wf).filter(({ s }) => s.with?.command === "up");
  assert.deepEqual(ups.map(({ s }) => s.with["stack-name"]), ["dev", "prod"]);
  for (const { job, j, s } of ups) {
    assert.equal(j.concurrency?.group, `pulumi-${s.with["stack-name"]}`, `job ${job}: one concurrency group per stack`);
    assert.equal(j.concurrency?.["cancel-in-progress"], false, `job ${job}: an up is never cancelled halfway`);
  }
  const prod = ups.find(({ s }) => s.with["stack-name"] === "prod");
  assert.equal(prod.j.environment, "production");
  assert.deepEqual([prod.j.needs].flat(), [ups.find(({ s }) => s.with["stack-name"] === "dev").job]);
});

test("the program jar is built before every pulumi step", () => {
  for (const file of files) {
    for (const [job, j] of Object.entries(workflows[file].jobs)) {
      const list = j.steps ?? [];
      const pulumi = list.findIndex((s) => (s.uses ?? "").startsWith("pulumi/actions@"));
      if (pulumi < 0) continue;
      const build = list.findIndex((s) => /mvnw -B -q package/.test(s.run ?? ""));
      assert.ok(build >= 0 && build < pulumi, `${file}: job ${job} runs pulumi before building target/memcached-gke.jar`);
    }
  }
});
