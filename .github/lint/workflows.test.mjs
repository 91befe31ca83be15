// The workflows are code too: each workflow and composite action is validated against GitHub's schema by
// action-validator, and against the rules this project relies on. Run by `npm test` here, and by the README's
// test command. WORKFLOWS_DIR / ACTIONS_DIR point the checks at other files (the tests of the rules do).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const workflowsDir = process.env.WORKFLOWS_DIR ?? join(root, ".github", "workflows");
const actionsDir = process.env.ACTIONS_DIR ?? join(root, ".github", "actions");
const validator = join(here, "node_modules", ".bin", "action-validator");
const VERSION_FILE = ".github/pulumi-version";
const SETUP = "./.github/actions/setup";

const files = readdirSync(workflowsDir).filter((f) => /\.ya?ml$/.test(f)).sort();
const text = Object.fromEntries(files.map((f) => [f, readFileSync(join(workflowsDir, f), "utf8")]));
const workflows = Object.fromEntries(files.map((f) => [f, parse(text[f])]));
const actionFiles = existsSync(actionsDir)
  ? readdirSync(actionsDir).map((d) => join(actionsDir, d, "action.yml")).filter(existsSync).sort()
  : [];
const actions = Object.fromEntries(actionFiles.map((f) => [relative(root, f), parse(readFileSync(f, "utf8"))]));

const steps = (wf) => Object.entries(wf.jobs ?? {}).flatMap(([job, j]) => (j.steps ?? []).map((s, i) => ({ job, j, s, i })));
const allSteps = () => [
  ...files.flatMap((f) => steps(workflows[f]).map((x) => ({ ...x, where: `${f}: job ${x.job}` }))),
  ...Object.entries(actions).flatMap(([f, a]) => (a.runs?.steps ?? []).map((s, i) => ({ s, i, where: f }))),
];
const isPulumiAction = (s) => (s.uses ?? "").startsWith("pulumi/actions@");
const deploys = (s) => isPulumiAction(s) && ["up", "update", "preview", "refresh", "destroy"].includes(s.with?.command);
/** `pulumi up` / `pulumi preview` in a shell step. */
const pulumiRuns = (s) => /(^|\n|;|&&|\|\||!)\s*pulumi (up|preview)\b/.test(s.run ?? "");
const setupStep = (j) => (j.steps ?? []).findIndex((s) => s.uses === SETUP);
const setupWith = (j) => (j.steps ?? [])[setupStep(j)]?.with ?? {};
const authenticates = (j) => (setupWith(j)["gcp-service-account"] ?? "") !== "";

/** The one test command, as the README gives it: the fenced block right after <!-- test-command -->. */
function readmeTestCommand() {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const match = readme.match(/<!-- test-command -->\s*```[a-z]*\n([^\n]+)\n```/);
  assert.ok(match, "README.md has no fenced test command after <!-- test-command -->");
  return match[1].trim();
}

test("there are workflows and a shared setup action to check", () => {
  assert.deepEqual(files, ["deliver.yml", "e2e-gke.yml", "mcrouter-image.yml", "pull-request.yml"]);
  assert.deepEqual(Object.keys(actions), [".github/actions/setup/action.yml"]);
});

for (const file of [...files.map((f) => join(workflowsDir, f)), ...actionFiles]) {
  test(`${relative(root, file)}: valid for GitHub Actions (action-validator)`, () => {
    try {
      execFileSync(validator, [file], { stdio: "pipe", cwd: root });
    } catch (e) {
      assert.fail(`action-validator rejects ${file}:\n${e.stdout}${e.stderr}`);
    }
  });
}

test("every action is pinned to a full version or a commit (with its version in a comment)", () => {
  const raw = [...files.map((f) => text[f]), ...actionFiles.map((f) => readFileSync(f, "utf8"))].join("\n");
  for (const { s, where } of allSteps()) {
    if (!s.uses || s.uses.startsWith("./")) continue;
    assert.match(s.uses, /^[\w.-]+\/[\w.\/-]+@(v\d+\.\d+\.\d+|[0-9a-f]{40})$/, `${where} uses ${s.uses}`);
    if (/@[0-9a-f]{40}$/.test(s.uses)) {
      assert.match(raw, new RegExp(`${s.uses.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")} # v\\d+\\.\\d+\\.\\d+`),
        `${where}: ${s.uses} needs a "# vX.Y.Z" comment saying which release the commit is`);
    }
  }
});

test("the Pulumi CLI is pinned to one exact version everywhere it is installed", () => {
  const version = readFileSync(join(root, VERSION_FILE), "utf8").trim();
  assert.match(version, /^\d+\.\d+\.\d+$/, `${VERSION_FILE} must hold an exact version, not '${version}'`);
  const pulumiSteps = allSteps().filter(({ s }) => isPulumiAction(s));
  assert.ok(pulumiSteps.some(({ where }) => where.endsWith("action.yml")), "the setup action installs the CLI");
  for (const { s, where } of pulumiSteps) {
    assert.equal(s.with?.["pulumi-version-file"], VERSION_FILE, `${where}: pulumi/actions without pulumi-version-file: ${VERSION_FILE}`);
    assert.equal(s.with?.["pulumi-version"], undefined, `${where}: pulumi-version next to the version file`);
  }
  for (const { s, where } of allSteps()) {
    assert.doesNotMatch(s.run ?? "", /get\.pulumi\.com|install.*\bpulumi\b|@pulumi\/cli|brew .*pulumi/i,
      `${where} installs the Pulumi CLI another way`);
  }
  // A job that runs the CLI itself got it from the setup action first.
  for (const f of files) {
    for (const [job, j] of Object.entries(workflows[f].jobs)) {
      const first = (j.steps ?? []).findIndex((s) => /(^|\n|;|&&|\|\||!|\$\()\s*pulumi [a-z]/.test(s.run ?? "") || isPulumiAction(s));
      if (first < 0) continue;
      const setup = setupStep(j);
      assert.ok(setup >= 0 && setup < first && setupWith(j).pulumi === "true",
        `${f}: job ${job} runs pulumi without installing the pinned CLI (${SETUP} with pulumi: "true") first`);
    }
  }
  const setup = readFileSync(join(root, ".github/actions/setup/action.yml"), "utf8");
  assert.match(setup, /pulumi version/, "the setup action checks the installed CLI's version");
});

test("the setup action: one place for Java, Node.js, the jar and its start-up archive, the CLI and GCP auth", () => {
  const a = actions[".github/actions/setup/action.yml"];
  assert.equal(a.runs.using, "composite");
  const uses = a.runs.steps.map((s) => (s.uses ?? "").split("@")[0]);
  for (const u of ["actions/setup-java", "actions/setup-node", "pulumi/actions", "google-github-actions/auth", "google-github-actions/setup-gcloud"]) {
    assert.ok(uses.includes(u), `the setup action lacks ${u}`);
  }
  const runs = a.runs.steps.map((s) => s.run ?? "").join("\n");
  assert.match(runs, /mvnw -B -q package -DskipTests/);
  // The program relaunches itself with target/jvm.options: exporting JDK_JAVA_OPTIONS would print a NOTE into
  // pulumi's output on every start and keep the program from checking the archive fits the jar.
  assert.doesNotMatch(runs, /JDK_JAVA_OPTIONS/, "nothing exports JDK_JAVA_OPTIONS");
  for (const f of files) {
    for (const [job, j] of Object.entries(workflows[f].jobs)) {
      const list = j.steps ?? [];
      if (list.length === 0) continue;
      const checkout = list.findIndex((s) => (s.uses ?? "").startsWith("actions/checkout@"));
      if (checkout < 0) continue;
      assert.ok(setupStep(j) > checkout, `${f}: job ${job} checks out but does not use ${SETUP}`);
      for (const s of list) {
        assert.ok(!/^(actions\/setup-java|actions\/setup-node|google-github-actions\/(auth|setup-gcloud))@/.test(s.uses ?? ""),
          `${f}: job ${job} repeats a setup step (${s.uses}) the setup action holds`);
      }
    }
  }
});

test("the README's test command runs before anything is deployed", () => {
  const command = readmeTestCommand();
  for (const f of files) {
    const wf = workflows[f];
    const deploying = steps(wf).filter(({ s }) => deploys(s) || pulumiRuns(s));
    if (deploying.length === 0) continue;
    const testJobs = Object.entries(wf.jobs).filter(([, j]) => (j.steps ?? []).some((s) => (s.run ?? "").includes(command)));
    assert.ok(testJobs.length > 0, `${f} never runs \`${command}\``);
    for (const { job, j } of deploying) {
      assert.ok([j.needs ?? []].flat().length > 0, `${f}: job ${job} runs pulumi without waiting for the tests`);
    }
  }
});

test("every pulumi up and preview runs the policy pack with the stack's pack configuration", () => {
  let count = 0;
  for (const f of files) {
    for (const { job, j, s } of steps(workflows[f])) {
      if (deploys(s) && s.with.command !== "destroy") {
        count++;
        assert.equal(s.with.policyPacks, "policies", `${f}: job ${job} runs pulumi ${s.with.command} without the policy pack`);
        assert.equal(s.with.policyPackConfigs, "${{ steps.pack.outputs.config }}", `${f}: job ${job}: no policyPackConfigs`);
        const pack = (j.steps ?? []).find((x) => x.id === "pack");
        assert.ok(pack, `${f}: job ${job} has no step "pack" resolving the stack's pack configuration`);
        assert.ok(pack.run.includes(`node policies/bin/conformance/config-of.js`), `${f}: job ${job}: the pack step does not ask config-of.js`);
        const stack = s.with["stack-name"];
        assert.ok(pack.run.includes(stack === "${{ matrix.stack }}" ? '"${{ matrix.stack }}"' : stack),
          `${f}: job ${job}: the pack configuration is not the one of stack ${stack}`);
      }
      if (pulumiRuns(s)) {
        count++;
        for (const line of s.run.split("\n").join(" ").split(/(?=pulumi (?:up|preview)\b)/).filter((l) => /^pulumi (up|preview)/.test(l))) {
          assert.match(line, /--policy-pack policies --policy-pack-config "\$\(node policies\/bin\/conformance\/config-of\.js /,
            `${f}: job ${job}: \`${line.trim().slice(0, 60)}...\` without the policy pack and the stack's configuration`);
        }
      }
      if ((s.run ?? "").includes("scripts/e2e.sh")) {
        assert.equal(j.env?.E2E_POLICY_PACK, "required", `${f}: job ${job} runs scripts/e2e.sh (which ups and previews) without E2E_POLICY_PACK: required`);
      }
    }
  }
  assert.ok(count >= 6, "the pulumi steps were found");
});

test("the program jar (and its fast-start flags) is built before every pulumi up or preview", () => {
  for (const f of files) {
    for (const [job, j] of Object.entries(workflows[f].jobs)) {
      const list = j.steps ?? [];
      const first = list.findIndex((s) => deploys(s) || pulumiRuns(s));
      if (first < 0) continue;
      const setup = setupStep(j);
      assert.ok(setup >= 0 && setup < first && setupWith(j).jar === "true",
        `${f}: job ${job} runs pulumi before ${SETUP} built target/memcached-gke.jar (jar: "true")`);
    }
  }
});

test("least privilege and keyless GCP auth", () => {
  for (const f of files) {
    const wf = workflows[f];
    assert.deepEqual(wf.permissions, {}, `${f}: top-level permissions must be {} (each job asks for its own)`);
    assert.doesNotMatch(text[f], /credentials_json|GOOGLE_CREDENTIALS|service_account_key/, `${f} uses a JSON key`);
    for (const [job, j] of Object.entries(wf.jobs)) {
      assert.equal(j.permissions?.["id-token"] === "write", authenticates(j), `${f}: job ${job}: id-token: write iff it authenticates to GCP`);
      for (const [scope, level] of Object.entries(j.permissions ?? {})) {
        if (level !== "write") continue;
        assert.ok(["id-token", "pull-requests"].includes(scope), `${f}: job ${job} asks for ${scope}: write`);
        if (scope === "pull-requests") {
          assert.ok((j.steps ?? []).some((s) => s.with?.["comment-on-pr"] === true || /scripts\/cache-impact\.sh/.test(s.run ?? "")),
            `${f}: job ${job} asks for pull-requests: write and comments nothing`);
        }
      }
    }
  }
});

test("previews authenticate as the read-only preview account; the deploy account is used only from main", () => {
  const pr = workflows["pull-request.yml"];
  assert.deepEqual(Object.keys(pr.on), ["pull_request"]);
  assert.doesNotMatch(text["pull-request.yml"], /GCP_DEPLOY_SERVICE_ACCOUNT|GCP_E2E_SERVICE_ACCOUNT/, "a pull request never sees the deploy or e2e account");
  assert.doesNotMatch(text["pull-request.yml"], /pull_request_target/);
  for (const f of files) {
    for (const [job, j] of Object.entries(workflows[f].jobs)) {
      if (!authenticates(j)) continue;
      const account = setupWith(j)["gcp-service-account"];
      const commands = (j.steps ?? []).filter(isPulumiAction).map((s) => s.with?.command);
      if (commands.includes("preview")) {
        assert.equal(account, "${{ vars.GCP_PREVIEW_SERVICE_ACCOUNT }}", `${f}: job ${job} previews as ${account}`);
      } else {
        assert.notEqual(account, "${{ vars.GCP_PREVIEW_SERVICE_ACCOUNT }}", `${f}: job ${job} uses the preview account for more than previews`);
        assert.equal(j.if, "github.ref == 'refs/heads/main'", `${f}: job ${job} uses ${account} without running only from main`);
        assert.ok(!Object.keys(workflows[f].on).some((e) => e.startsWith("pull_request")), `${f} runs on pull requests`);
      }
      if (commands.includes("up")) {
        assert.equal(account, "${{ vars.GCP_DEPLOY_SERVICE_ACCOUNT }}", `${f}: job ${job} deploys as ${account}`);
        assert.ok(["development", "production"].includes(j.environment), `${f}: job ${job} deploys outside a GitHub environment`);
      }
    }
  }
});

test("forks and Dependabot run the tests and skip the preview with a notice instead of failing", () => {
  const pr = workflows["pull-request.yml"];
  const gate = pr.jobs.gate;
  assert.ok(gate, "pull-request.yml has a job `gate`");
  const script = gate.steps.map((s) => s.run ?? "").join("\n");
  const env = JSON.stringify(gate.steps.map((s) => s.env ?? {}));
  assert.match(env, /github\.event\.pull_request\.head\.repo\.full_name/, "the gate knows a fork");
  assert.match(env, /github\.event\.pull_request\.user\.login/, "the gate knows the pull request's author");
  assert.match(script, /"\$HEAD_REPO" != "\$GITHUB_REPOSITORY"/);
  assert.match(script, /dependabot\[bot\]/);
  assert.match(script, /::notice title=Preview skipped::/);
  assert.match(script, /trusted=true/);
  for (const [job, j] of Object.entries(pr.jobs)) {
    const usesSecrets = JSON.stringify(j).includes("secrets.") || j.permissions?.["id-token"] === "write";
    if (usesSecrets) {
      assert.ok([j.needs ?? []].flat().includes("gate"), `pull-request.yml: job ${job} uses secrets or OIDC without the gate`);
      assert.equal(j.if, "needs.gate.outputs.trusted == 'true'", `pull-request.yml: job ${job} is not skipped for forks and Dependabot`);
    } else if (job !== "gate") {
      assert.equal(j.if, undefined, `pull-request.yml: job ${job} needs no secret and must run for every pull request`);
    }
  }
  const command = readmeTestCommand();
  assert.ok(pr.jobs.test.steps.some((s) => (s.run ?? "").includes(command)), "the tests run for every pull request");
});

test("pull requests: the cache-impact check, one preview per stack, one run per PR at a time", () => {
  const wf = workflows["pull-request.yml"];
  assert.match(wf.concurrency.group, /github\.event\.pull_request\.number/);
  assert.equal(wf.concurrency["cancel-in-progress"], true);
  const preview = steps(wf).filter(({ s }) => s.with?.command === "preview");
  assert.equal(preview.length, 1);
  assert.deepEqual(wf.jobs[preview[0].job].strategy.matrix.stack, ["dev", "prod"]);
  assert.equal(preview[0].s.with["comment-on-pr"], true);
  assert.equal(preview[0].s.with.upsert, true, "a stack not created yet is previewed, not an error");
  const impact = wf.jobs["cache-impact"];
  assert.ok(impact, "pull-request.yml has the cache-impact job");
  const step = impact.steps.find((s) => (s.run ?? "").includes("scripts/cache-impact.sh"));
  assert.equal(step.run, "scripts/cache-impact.sh dev prod");
  assert.equal(step.env.FAIL_ABOVE, "${{ vars.CACHE_IMPACT_FAIL_ABOVE || '10' }}");
  assert.equal(step.env.BASE_SHA, "${{ github.event.pull_request.base.sha }}");
  assert.equal(impact.steps[0].with?.["fetch-depth"], 0, "the base commit is in the checkout");
});

test("e2e jobs: pinned kind and Kubernetes, up, preview --expect-no-changes, scripts/e2e.sh, cleanup if: always()", () => {
  const e2eJobs = files.flatMap((f) => Object.entries(workflows[f].jobs).filter(([job]) => job.startsWith("e2e")).map(([job, j]) => ({ f, job, j })));
  assert.deepEqual(e2eJobs.map(({ f, job }) => `${f}:${job}`), ["e2e-gke.yml:e2e-gke", "pull-request.yml:e2e-kind"]);
  for (const { f, job, j } of e2eJobs) {
    const list = j.steps;
    const at = (re) => list.findIndex((s) => re.test(s.run ?? ""));
    const up = at(/\bpulumi up\b/);
    const preview = at(/pulumi preview --expect-no-changes/);
    const e2e = at(/scripts\/e2e\.sh/);
    const destroy = at(/pulumi destroy/);
    assert.ok(up >= 0 && up < preview && preview < e2e && e2e < destroy, `${f}: job ${job}: up, preview --expect-no-changes, e2e.sh, destroy in order`);
    assert.equal(list[destroy].if, "always()", `${f}: job ${job}: pulumi destroy must run if: always()`);
    assert.match(list.slice(0, up).map((s) => s.run ?? "").join("\n"), /PULUMI_BACKEND_URL=file:\/\//, `${f}: job ${job}: a local file backend`);
    assert.ok(j["timeout-minutes"] > 0, `${f}: job ${job} has no timeout`);
    const kind = list.find((s) => (s.uses ?? "").startsWith("helm/kind-action@"));
    if (kind) {
      assert.match(kind.with.version, /^v\d+\.\d+\.\d+$/, "kind pinned");
      assert.match(kind.with.node_image, /^kindest\/node:v\d+\.\d+\.\d+@sha256:[0-9a-f]{64}$/, "the node image pinned by digest");
      assert.match(kind.with.kubectl_version, /^v\d+\.\d+\.\d+$/, "kubectl pinned");
      const del = list.findIndex((s) => /kind delete cluster/.test(s.run ?? ""));
      assert.ok(del > destroy && list[del].if === "always()", `${f}: job ${job}: kind delete cluster after destroy, if: always()`);
      assert.ok(list.some((s) => /scripts\/mcrouter-pod-security\.sh/.test(s.run ?? "")), `${f}: job ${job} says whether mcrouter runs under the pod security`);
    }
  }
  assert.ok(workflows["e2e-gke.yml"].on.workflow_dispatch !== undefined, "the GKE end-to-end runs on demand");
  assert.deepEqual(Object.keys(workflows["e2e-gke.yml"].on), ["workflow_dispatch"]);
});

test("delivery: dev then prod behind the production environment, stacks created if missing, never two ups on a stack", () => {
  const wf = workflows["deliver.yml"];
  const ups = steps(wf).filter(({ s }) => s.with?.command === "up");
  assert.deepEqual(ups.map(({ s }) => s.with["stack-name"]), ["dev", "prod"]);
  for (const { job, j, s } of ups) {
    assert.equal(j.concurrency?.group, `pulumi-${s.with["stack-name"]}`, `job ${job}: one concurrency group per stack`);
    assert.equal(j.concurrency?.["cancel-in-progress"], false, `job ${job}: an up is never cancelled halfway`);
    assert.equal(s.with.upsert, true, `job ${job}: the stack is created when missing`);
  }
  const prod = ups.find(({ s }) => s.with["stack-name"] === "prod");
  assert.equal(prod.j.environment, "production");
  assert.deepEqual([prod.j.needs].flat(), [ups.find(({ s }) => s.with["stack-name"] === "dev").job]);
});

test("the mcrouter image: built on demand from a pinned upstream tag, pushed keylessly to the stack's repository", () => {
  const wf = workflows["mcrouter-image.yml"];
  assert.deepEqual(Object.keys(wf.on), ["workflow_dispatch"]);
  const list = wf.jobs.image.steps;
  const output = list.find((s) => isPulumiAction(s) && s.with.command === "output");
  assert.ok(output, "the repository comes from the stack's outputs");
  assert.match(text["mcrouter-image.yml"], /steps\.stack\.outputs\.imageRepository/);
  assert.equal(setupWith(wf.jobs.image)["gcp-token-format"], "access_token");
  const dockerfile = readFileSync(join(root, "images/mcrouter/Dockerfile"), "utf8");
  assert.match(dockerfile, /^ARG MCROUTER_TAG=v\d{4}\.\d{2}\.\d{2}\.\d{2}$/m, "a pinned upstream release tag");
  assert.match(dockerfile, /^USER 65534:65534$/m, "runs as nobody");
  assert.match(dockerfile, /install_ubuntu_24\.04\.sh/, "upstream's own build scripts, by tag");
});

test("Dependabot watches the actions of the workflows and of the setup action", () => {
  const d = parse(readFileSync(join(root, ".github/dependabot.yml"), "utf8"));
  const gha = d.updates.find((u) => u["package-ecosystem"] === "github-actions");
  assert.deepEqual(gha.directories, ["/", "/.github/actions/setup"]);
});
