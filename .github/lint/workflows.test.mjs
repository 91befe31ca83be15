// The workflows are code too: each workflow and composite action is validated against GitHub's schema by
// action-validator, and against the rules this project relies on. Run by `npm test` here, and by the README's
// test command. WORKFLOWS_DIR / ACTIONS_DIR / DEPENDABOT_FILE / DELIVERY_DOC / CI_SCRIPTS_DIR point the checks at
// other files (the tests of the rules do, and so does a run against the files of an older commit).
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
const dependabotFile = process.env.DEPENDABOT_FILE ?? join(root, ".github", "dependabot.yml");
const deliveryDoc = process.env.DELIVERY_DOC ?? join(root, "docs", "delivery.md");
const ciScripts = process.env.CI_SCRIPTS_DIR ?? join(root, "scripts", "ci");
const validator = join(here, "node_modules", ".bin", "action-validator");
const VERSION_FILE = ".github/pulumi-version";
const SETUP = "./.github/actions/setup";

const files = readdirSync(workflowsDir).filter((f) => /\.ya?ml$/.test(f)).sort();
const text = Object.fromEntries(files.map((f) => [f, readFileSync(join(workflowsDir, f), "utf8")]));
const workflows = Object.fromEntries(files.map((f) => [f, parse(text[f])]));
const actionFiles = existsSync(actionsDir)
  ? readdirSync(actionsDir).map((d) => join(actionsDir, d, "action.yml")).filter(existsSync).sort()
  : [];
// Keyed as in the repository (.github/actions/<name>/action.yml), wherever ACTIONS_DIR points.
const actions = Object.fromEntries(actionFiles.map((f) => [join(".github", "actions", relative(actionsDir, f)), parse(readFileSync(f, "utf8"))]));

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
  assert.deepEqual(files, ["deliver.yml", "e2e-gke.yml", "e2e-sweep.yml", "mcrouter-image.yml", "pull-request.yml"]);
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

/**
 * The first release of each action that runs on node24 (its action.yml's runs.using), read from each repository's
 * tags: GitHub is retiring the Node 20 runtime, and an action on it stops running. Dependabot's bumps stay above.
 */
const FIRST_NODE24 = {
  "actions/checkout": "5.0.0",
  "actions/setup-java": "5.0.0",
  "actions/setup-node": "5.0.0",
  "actions/upload-artifact": "6.0.0",
  "actions/download-artifact": "7.0.0",
  "google-github-actions/auth": "3.0.0",
  "google-github-actions/setup-gcloud": "3.0.0",
  "pulumi/actions": "7.0.0",
  "docker/login-action": "4.0.0",
  "docker/setup-buildx-action": "4.0.0",
  "docker/build-push-action": "7.0.0",
  "helm/kind-action": "1.13.0",
};
const older = (a, b) => {
  const [x, y] = [a, b].map((v) => v.split(".").map(Number));
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] < y[i];
  return false;
};

test("every action is pinned to a commit of a node24 release, the release in a comment", () => {
  const raw = [...files.map((f) => text[f]), ...actionFiles.map((f) => readFileSync(f, "utf8"))].join("\n");
  for (const { s, where } of allSteps()) {
    if (!s.uses || s.uses.startsWith("./")) continue;
    // A tag can be moved to other code; a commit cannot.
    assert.match(s.uses, /^[\w.-]+\/[\w.\/-]+@[0-9a-f]{40}$/, `${where} uses ${s.uses}: pin the commit (with "# vX.Y.Z")`);
    const version = raw.match(new RegExp(`${s.uses.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")} # v(\\d+\\.\\d+\\.\\d+)\\b`));
    assert.ok(version, `${where}: ${s.uses} needs a "# vX.Y.Z" comment saying which release the commit is`);
    const action = s.uses.split("@")[0];
    assert.ok(FIRST_NODE24[action], `${where}: ${action} is not in FIRST_NODE24: add its first node24 release`);
    assert.ok(!older(version[1], FIRST_NODE24[action]),
      `${where}: ${action} v${version[1]} runs on Node 20, which GitHub is retiring; node24 from v${FIRST_NODE24[action]}`);
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
      list.forEach((s, i) => {
        // One exception: a fresh token right before a docker login (a token taken at the start expires).
        if (/^google-github-actions\/auth@/.test(s.uses ?? "") && (list[i + 1]?.uses ?? "").startsWith("docker/login-action@")) return;
        assert.ok(!/^(actions\/setup-java|actions\/setup-node|google-github-actions\/(auth|setup-gcloud))@/.test(s.uses ?? ""),
          `${f}: job ${job} repeats a setup step (${s.uses}) the setup action holds`);
      });
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
        // The configuration is resolved into a variable first (a failing "$(...)" inside an argument would not
        // fail the step, and pulumi would run without it), for the step's own stack.
        const stack = s.run.includes("--stack local") ? "local" : '"$STACK"';
        assert.ok(s.run.includes(`pack=$(node policies/bin/conformance/config-of.js ${stack})`),
          `${f}: job ${job}: a pulumi up/preview step without pack=$(node policies/bin/conformance/config-of.js ${stack})`);
        for (const line of s.run.split("\n").join(" ").split(/(?=pulumi (?:up|preview)\b)/).filter((l) => /^pulumi (up|preview)/.test(l))) {
          assert.match(line, /--policy-pack policies --policy-pack-config "\$pack"/,
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
          assert.ok((j.steps ?? []).some((s) => /scripts\/(cache-impact|ci\/pr-comment)\.sh/.test(s.run ?? "")),
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
        assert.ok(String(j.if ?? "").includes("github.ref == 'refs/heads/main'"), `${f}: job ${job} uses ${account} without running only from main`);
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

test("every upload-artifact step keeps hidden files (a file backend's state is all under .pulumi/)", () => {
  // actions/upload-artifact v7.0.0 still defaults include-hidden-files to 'false' (action.yml), and @actions/glob
  // then skips every path whose name starts with "." - a dot-directory and everything under it (toolkit,
  // packages/glob/src/internal-globber.ts). Set on every upload, so no state can silently go missing.
  let count = 0;
  for (const { s, where } of allSteps()) {
    if (!(s.uses ?? "").startsWith("actions/upload-artifact@")) continue;
    count++;
    assert.equal(s.with?.["include-hidden-files"], true, `${where}: upload-artifact without include-hidden-files: true`);
  }
  assert.ok(count > 0, "the uploads were found");
});

/** A run script's lines, comments dropped and continuation lines joined. */
const scriptLines = (run) => run.replace(/\\\n/g, " ").split("\n").map((l) => l.replace(/(^|\s)#.*$/, "")).filter((l) => l.trim());

test("a value computed in a run step goes into a variable first: no $(...) inside an echo, printf or argument", () => {
  // Under bash -e a command substitution that fails inside an echo's (or any command's) arguments does not stop
  // the step: `echo "config=$(node ...)" >> "$GITHUB_OUTPUT"` writes config= and goes on. A plain assignment,
  // v=$(...), takes the substitution's exit status and stops the step.
  for (const { s, where } of allSteps()) {
    if (!s.run) continue;
    for (const line of scriptLines(s.run)) {
      const subst = line.replace(/\$\(\(/g, "");
      if (!subst.includes("$(")) continue;
      if (/>>?\s*"?\$(GITHUB_OUTPUT|GITHUB_ENV)/.test(line) && /^\s*(echo|printf)\b/.test(line)) {
        assert.fail(`${where}: \`${line.trim()}\` computes a value inside an echo/printf into $GITHUB_OUTPUT or $GITHUB_ENV`);
      }
      assert.match(line, /^\s*[A-Za-z_][A-Za-z0-9_]*=/, `${where}: \`${line.trim()}\` has a $(...) that is not a plain assignment`);
    }
  }
});

/** The secrets that write or decrypt a stack's state. */
const STATE_SECRETS = ["PULUMI_ACCESS_TOKEN", "PULUMI_CONFIG_PASSPHRASE"];

test("secrets that can write state exist only in GitHub environments, and pull requests reach only `preview`", () => {
  for (const f of files) {
    const onPullRequest = Object.keys(workflows[f].on).some((e) => e.startsWith("pull_request"));
    for (const [job, j] of Object.entries(workflows[f].jobs)) {
      for (const secret of STATE_SECRETS) {
        if (!JSON.stringify(j).includes(`secrets.${secret}`)) continue;
        // A repository secret reaches every branch's copy of a workflow; an environment's only the branches the
        // environment allows (docs/delivery.md, "Where each secret lives").
        assert.ok(j.environment, `${f}: job ${job} references secrets.${secret} outside a GitHub environment`);
        if (onPullRequest) {
          assert.equal(j.environment, "preview", `${f}: job ${job}: a pull request reads secrets.${secret} of ${j.environment}`);
        }
      }
    }
    assert.doesNotMatch(JSON.stringify(workflows[f].env ?? {}), /secrets\./, `${f}: a workflow-level secret reaches every job`);
  }
});

test("pull requests never create a stack (no upsert) and preview as the read-only identity in `preview`", () => {
  for (const f of files) {
    const onPullRequest = Object.keys(workflows[f].on).some((e) => e.startsWith("pull_request"));
    for (const { job, j, s } of steps(workflows[f])) {
      if (isPulumiAction(s) && s.with?.command === "preview") {
        assert.notEqual(s.with.upsert, true, `${f}: job ${job}: a preview with upsert creates the stack`);
        assert.equal(j.environment, "preview", `${f}: job ${job}: a preview outside the environment preview`);
      }
      if (onPullRequest && isPulumiAction(s)) {
        assert.notEqual(s.with?.upsert, true, `${f}: job ${job}: upsert in a pull request creates stacks in the shared backend`);
      }
    }
  }
});

test("every job that authenticates to GCP runs in the environment its account's binding admits", () => {
  // OIDC subject of a job with an environment: repo:<owner>/<repo>:environment:<name>; the bindings of
  // docs/delivery.md admit exactly these.
  const admitted = {
    "${{ vars.GCP_PREVIEW_SERVICE_ACCOUNT }}": ["preview"],
    "${{ vars.GCP_DEPLOY_SERVICE_ACCOUNT }}": ["development", "production", "${{ inputs.stack == 'prod' && 'production' || 'development' }}"],
    "${{ vars.GCP_E2E_SERVICE_ACCOUNT }}": ["e2e"],
  };
  const doc = readFileSync(deliveryDoc, "utf8");
  const shellName = { "${{ vars.GCP_PREVIEW_SERVICE_ACCOUNT }}": "PREVIEW", "${{ vars.GCP_DEPLOY_SERVICE_ACCOUNT }}": "DEPLOY", "${{ vars.GCP_E2E_SERVICE_ACCOUNT }}": "E2E" };
  for (const f of files) {
    for (const [job, j] of Object.entries(workflows[f].jobs)) {
      if (!authenticates(j)) continue;
      const account = setupWith(j)["gcp-service-account"];
      assert.ok(admitted[account]?.includes(j.environment), `${f}: job ${job} authenticates as ${account} in environment ${j.environment}`);
      for (const env of j.environment.startsWith("${{") ? ["development", "production"] : [j.environment]) {
        assert.match(doc, new RegExp(`^bind \\$${shellName[account]} \\S+ ${env}$`, "m"),
          `docs/delivery.md binds no subject repo:<repo>:environment:${env} to the account of ${f}: job ${job} (a line "bind $${shellName[account]} <project> ${env}")`);
      }
    }
  }
  assert.match(doc, /principal:\/\/iam\.googleapis\.com\/\$POOL\/subject\/repo:\$REPO:environment:\$3/, "the bindings are by environment subject");
});

test("the preview gate checks every variable the previews read", () => {
  const pr = workflows["pull-request.yml"];
  const gate = pr.jobs.gate.steps.find((s) => s.id === "gate");
  // PULUMI_BACKEND_URL may be empty: Pulumi Cloud.
  const read = [...new Set([...JSON.stringify(pr.jobs.preview).matchAll(/vars\.([A-Z0-9_]+)/g)].map((m) => m[1]))]
    .filter((v) => v !== "PULUMI_BACKEND_URL");
  assert.ok(read.includes("GCP_PROJECT"), "the previews read GCP_PROJECT (config-map)");
  for (const v of read) {
    const name = Object.entries(gate.env).find(([, value]) => value === `\${{ vars.${v} }}`)?.[0];
    assert.ok(name, `pull-request.yml: the gate does not read vars.${v}, which the previews need`);
    assert.match(gate.run, new RegExp(`\\[ -[nz] "\\$${name}" \\]`), `pull-request.yml: the gate does not check that vars.${v} is set`);
  }
});

test("no pulumi/actions comment on a pull request: one comment per report, found among all comments", () => {
  // pulumi/actions v7.0.0 (src/libs/pr.ts) looks for its earlier comment with one unpaged listComments call: the
  // first 30 comments. scripts/ci/pr-comment.sh pages through all (gh api --paginate).
  for (const { s, where } of allSteps()) {
    if (isPulumiAction(s) && s.with?.command) {
      assert.notEqual(s.with["comment-on-pr"], true, `${where}: comment-on-pr: true`);
    }
  }
  const script = readFileSync(join(ciScripts, "pr-comment.sh"), "utf8");
  assert.match(script, /gh api --paginate "repos\/\$repo\/issues\/\$pr\/comments"/);
});

test("pull requests: the cache-impact check, one preview per stack, one run per PR at a time", () => {
  const wf = workflows["pull-request.yml"];
  assert.match(wf.concurrency.group, /github\.event\.pull_request\.number/);
  assert.equal(wf.concurrency["cancel-in-progress"], true);
  const preview = steps(wf).filter(({ s }) => s.with?.command === "preview");
  assert.equal(preview.length, 1);
  assert.deepEqual(wf.jobs[preview[0].job].strategy.matrix.stack, ["dev", "prod"]);
  assert.equal(preview[0].s.with["comment-on-pr"], false, "the action's comment: see the test of comments");
  assert.equal(preview[0].s.with["comment-on-summary"], true, "the preview goes to the job summary");
  assert.match(String(preview[0].s.if), /steps\.exists\.outputs\.exists == 'true'/, "a stack not created yet is skipped");
  const exists = wf.jobs[preview[0].job].steps.find((s) => s.id === "exists");
  assert.equal(exists?.run, 'scripts/ci/stack-exists.sh "${{ matrix.stack }}"');
  const impact = wf.jobs["cache-impact"];
  assert.ok(impact, "pull-request.yml has the cache-impact job");
  const step = impact.steps.find((s) => (s.run ?? "").includes("scripts/cache-impact.sh"));
  assert.equal(step.run, "scripts/cache-impact.sh dev prod");
  assert.equal(step.env.FAIL_ABOVE, "${{ vars.CACHE_IMPACT_FAIL_ABOVE || '10' }}");
  assert.equal(step.env.BASE_SHA, "${{ github.event.pull_request.base.sha }}");
  assert.equal(impact.steps[0].with?.["fetch-depth"], 0, "the base commit is in the checkout");
});

test("e2e jobs: pinned kind and Kubernetes, up, preview --expect-no-changes, scripts/e2e.sh, cleanup whatever happened", () => {
  const e2eJobs = files.flatMap((f) => Object.entries(workflows[f].jobs).filter(([job]) => job.startsWith("e2e")).map(([job, j]) => ({ f, job, j })));
  assert.deepEqual(e2eJobs.map(({ f, job }) => `${f}:${job}`), ["e2e-gke.yml:e2e-gke", "pull-request.yml:e2e-kind"]);
  for (const { f, job, j } of e2eJobs) {
    const list = j.steps;
    const at = (re) => list.findIndex((s) => re.test(s.run ?? ""));
    const up = at(/\bpulumi up\b/);
    const preview = at(/pulumi preview --expect-no-changes/);
    const e2e = at(/scripts\/e2e\.sh/);
    assert.ok(up >= 0 && up < preview && preview < e2e, `${f}: job ${job}: up, preview --expect-no-changes, e2e.sh in order`);
    assert.ok(j["timeout-minutes"] > 0, `${f}: job ${job} has no timeout`);
    const kind = list.find((s) => (s.uses ?? "").startsWith("helm/kind-action@"));
    if (kind) {
      // A kind cluster dies with the runner: its state may stay on the runner, and the job cleans up itself.
      const destroy = at(/scripts\/ci\/destroy-stack\.sh/);
      assert.ok(e2e < destroy, `${f}: job ${job}: scripts/ci/destroy-stack.sh after e2e.sh`);
      assert.equal(list[destroy].if, "always()", `${f}: job ${job}: pulumi destroy must run if: always()`);
      assert.match(list.slice(0, up).map((s) => s.run ?? "").join("\n"), /PULUMI_BACKEND_URL=file:\/\//, `${f}: job ${job}: a local file backend`);
      assert.match(kind.with.version, /^v\d+\.\d+\.\d+$/, "kind pinned");
      assert.match(kind.with.node_image, /^kindest\/node:v\d+\.\d+\.\d+@sha256:[0-9a-f]{64}$/, "the node image pinned by digest");
      assert.match(kind.with.kubectl_version, /^v\d+\.\d+\.\d+$/, "kubectl pinned");
      const del = list.findIndex((s) => /kind delete cluster/.test(s.run ?? ""));
      assert.ok(del > destroy && list[del].if === "always()", `${f}: job ${job}: kind delete cluster after destroy, if: always()`);
      assert.ok(list.some((s) => /scripts\/mcrouter-pod-security\.sh/.test(s.run ?? "")), `${f}: job ${job} says whether mcrouter runs under the pod security`);
    } else {
      // A GKE cluster outlives the runner: state where a later run and a person reach it, nothing destroyed in
      // this job (a cancelled job's always() steps get about five minutes), what it creates recorded first.
      assert.doesNotMatch(list.map((s) => s.run ?? "").join("\n"), /PULUMI_BACKEND_URL=file:|pulumi destroy|scripts\/ci\/destroy-stack\.sh/, `${f}: job ${job}: no file backend and no destroy inside the e2e job`);
      assert.equal(j.env.PULUMI_BACKEND_URL, "${{ vars.E2E_PULUMI_BACKEND_URL }}", `${f}: job ${job}: the state in the e2e state bucket`);
      assert.equal(list[0].id, "stack", `${f}: job ${job}: the stack's name is the job's output before anything else runs`);
      assert.equal(j.outputs?.stack, "${{ steps.stack.outputs.stack }}");
      const record = list.findIndex((s) => /GITHUB_STEP_SUMMARY/.test(s.run ?? "") && /\$GCP_E2E_PROJECT/.test(s.run ?? "") && /part-of=memcached-gke/.test(s.run ?? ""));
      assert.ok(record >= 0 && record < up, `${f}: job ${job}: what the run creates (cluster, project, labels) is in the job summary before the up`);
    }
  }
  assert.ok(workflows["e2e-gke.yml"].on.workflow_dispatch !== undefined, "the GKE end-to-end runs on demand");
  assert.deepEqual(Object.keys(workflows["e2e-gke.yml"].on), ["workflow_dispatch"]);
});

test("e2e-gke: a destroy job that needs the e2e job, runs if always(), unlocks before it destroys, and deletes the cluster if it is left", () => {
  const wf = workflows["e2e-gke.yml"];
  const destroy = Object.entries(wf.jobs).filter(([, j]) => (j.steps ?? []).some((s) => /destroy-stack\.sh/.test(s.run ?? "")));
  assert.deepEqual(destroy.map(([job]) => job), ["destroy"], "e2e-gke.yml: one job runs scripts/ci/destroy-stack.sh");
  const [, j] = destroy[0];
  assert.deepEqual([j.needs].flat(), ["e2e-gke"], "the destroy job needs the e2e job");
  assert.match(String(j.if), /^\$\{\{ always\(\) && /, "the destroy job runs if: ${{ always() ... }} (after a cancel or timeout of the e2e job too)");
  assert.doesNotMatch(String(j.if), /success\(\)|failure\(\)|result == 'success'/, "whatever became of the e2e job");
  assert.match(j.env.STACK, /needs\.e2e-gke\.outputs\.stack/, "the destroy job destroys the e2e job's stack");
  assert.equal(j.env.PULUMI_BACKEND_URL, wf.jobs["e2e-gke"].env.PULUMI_BACKEND_URL, "the same state");
  const run = j.steps.find((s) => /destroy-stack\.sh/.test(s.run ?? "")).run;
  assert.match(run, /scripts\/ci\/destroy-stack\.sh "\$STACK" --rm/);
  const sweep = j.steps.find((s) => /sweep-e2e-clusters\.sh/.test(s.run ?? ""));
  assert.ok(sweep && sweep.if === "always()", "the destroy job deletes its cluster by name if it is still there, always()");
  assert.match(sweep.run, /--name "\$STACK" --older-than-hours 0/);
  // The script the job runs: the lock of an interrupted up released before the destroy, then the state checked.
  const script = readFileSync(join(ciScripts, "destroy-stack.sh"), "utf8");
  const cancel = script.search(/^\s*if ! pulumi cancel --yes --stack "\$stack"/m);
  const destroyAt = script.search(/^\s*pulumi destroy --yes --skip-preview --continue-on-error --stack "\$stack"/m);
  const check = script.search(/pulumi stack export --stack "\$stack" --non-interactive > "\$work\/after\.json"/);
  assert.ok(cancel > 0 && cancel < destroyAt && destroyAt < check, "destroy-stack.sh: pulumi cancel, then destroy, then the state checked");
  assert.match(script, /--clear-pending-creates/);
});

test("e2e-sweep: a schedule deletes e2e clusters by project, name prefix and label, older than any run", () => {
  const wf = workflows["e2e-sweep.yml"];
  assert.ok(wf, "there is a sweep workflow");
  const cron = (wf.on.schedule ?? []).map((c) => c.cron);
  assert.equal(cron.length, 1, "e2e-sweep.yml runs on a schedule");
  assert.match(cron[0], /^\S+ \S+ \S+ \S+ \S+$/, "a cron expression");
  const job = wf.jobs.sweep;
  assert.equal(job.env.GCP_E2E_PROJECT, "${{ vars.GCP_E2E_PROJECT }}", "the e2e project, never dev's or prod's");
  assert.equal(setupWith(job)["gcp-service-account"], "${{ vars.GCP_E2E_SERVICE_ACCOUNT }}");
  const run = job.steps.find((s) => /sweep-e2e-clusters\.sh/.test(s.run ?? "")).run;
  assert.match(run, /--project "\$GCP_E2E_PROJECT" --older-than-hours "\$OLDER_THAN_HOURS"/);
  const hours = Number(job.env.OLDER_THAN_HOURS.match(/'(\d+)'/)[1]);
  const gke = workflows["e2e-gke.yml"].jobs;
  const longest = (gke["e2e-gke"]["timeout-minutes"] + gke.destroy["timeout-minutes"]) / 60;
  assert.ok(hours > longest, `the sweep's limit (${hours} h) is longer than an e2e run can be (${longest} h)`);
  const script = readFileSync(join(ciScripts, "sweep-e2e-clusters.sh"), "utf8");
  assert.match(script, /prefix="e2e-"/, "the name prefix e2e-, as e2e-gke.yml names its stacks");
  assert.match(script, /filter="name ~ \^\$\{prefix\} AND resourceLabels\.part-of=memcached-gke"/, "by name prefix and the program's label");
  assert.match(script, /gcloud container clusters list --project "\$project" --filter "\$filter" --format json/);
  assert.match(script, /\.createTime/, "the age from createTime");
  assert.match(workflows["e2e-gke.yml"].jobs["e2e-gke"].env.STACK, /^e2e-/, "e2e-gke's stacks (and clusters) carry the prefix");
});

test("delivery: dev, a preview of prod, then prod behind its environment; stacks created if missing, never two ups on a stack", () => {
  const wf = workflows["deliver.yml"];
  const ups = steps(wf).filter(({ s }) => s.with?.command === "up");
  assert.deepEqual(ups.map(({ s }) => s.with["stack-name"]), ["dev", "prod"]);
  for (const { job, j, s } of ups) {
    assert.equal(j.concurrency?.group, `pulumi-${s.with["stack-name"]}`, `job ${job}: one concurrency group per stack`);
    assert.equal(j.concurrency?.["cancel-in-progress"], false, `job ${job}: an up is never cancelled halfway`);
    assert.equal(s.with.upsert, true, `job ${job}: the stack is created when missing`);
  }
  const prod = ups.find(({ s }) => s.with["stack-name"] === "prod");
  const dev = ups.find(({ s }) => s.with["stack-name"] === "dev");
  assert.equal(prod.j.environment, "production");
  // Production is approved with the preview of the commit it approves in front of the approvers.
  const [before] = [prod.j.needs].flat();
  const preview = wf.jobs[before];
  const step = (preview?.steps ?? []).find((s) => isPulumiAction(s) && s.with?.command === "preview");
  assert.ok(step, `deliver.yml: job ${prod.job} runs after a job that previews prod (it needs ${before})`);
  assert.equal(step.with["stack-name"], "prod", `deliver.yml: job ${before} previews prod`);
  assert.equal(step.with["comment-on-summary"], true, `deliver.yml: job ${before} writes the preview to the job summary`);
  assert.equal(setupWith(preview)["gcp-service-account"], "${{ vars.GCP_PREVIEW_SERVICE_ACCOUNT }}", "as the read-only account");
  assert.deepEqual([preview.needs].flat(), [dev.job], "the preview of prod comes after dev's up");
  assert.match(String(prod.j.if), new RegExp(`needs\\.${before}\\.outputs\\.deploy == 'true'`), "up-prod only after the preview ran");
});

test("every up runs only while its commit is the head of main, or a person chose it (scripts/ci/head-of-main.sh)", () => {
  let count = 0;
  for (const f of files) {
    for (const [job, j] of Object.entries(workflows[f].jobs)) {
      const list = j.steps ?? [];
      list.forEach((s, i) => {
        if (!(isPulumiAction(s) && ["up", "update"].includes(s.with?.command))) return;
        count++;
        const guard = list[i - 1];
        assert.equal(guard?.run, `scripts/ci/head-of-main.sh ${s.with["stack-name"]}`,
          `${f}: job ${job}: the step right before the up of ${s.with["stack-name"]} is the head-of-main guard`);
        assert.equal(s.if, `steps.${guard.id}.outputs.deploy == 'true'`, `${f}: job ${job}: the up runs only if the guard says deploy`);
        assert.equal(guard.env?.CHOSEN, "${{ github.event_name == 'workflow_dispatch' && inputs.deploy-this-commit }}",
          `${f}: job ${job}: only a person's workflow_dispatch choice overrides the guard`);
        assert.ok(j.concurrency?.group, `${f}: job ${job}: the guard runs inside the stack's concurrency group`);
      });
    }
  }
  assert.equal(count, 2, "both ups are guarded");
  assert.equal(workflows["deliver.yml"].on.workflow_dispatch.inputs["deploy-this-commit"].type, "boolean");
});

test("the mcrouter image: built on demand from a pinned upstream tag, pushed keylessly to the stack's repository", () => {
  const wf = workflows["mcrouter-image.yml"];
  assert.deepEqual(Object.keys(wf.on), ["workflow_dispatch"]);
  const list = wf.jobs.image.steps;
  const output = list.find((s) => isPulumiAction(s) && s.with.command === "output");
  assert.ok(output, "the repository comes from the stack's outputs");
  assert.match(text["mcrouter-image.yml"], /steps\.stack\.outputs\.imageRepository/);
  // The build takes one to two hours; an access token lives 3600 s (google-github-actions/auth action.yml,
  // access_token_lifetime): the token docker logs in with is taken right before the push.
  assert.equal(setupWith(wf.jobs.image)["gcp-token-format"], undefined, "no token taken at the start of the job");
  const login = list.findIndex((s) => (s.uses ?? "").startsWith("docker/login-action@"));
  const auth = list[login - 1];
  assert.ok((auth?.uses ?? "").startsWith("google-github-actions/auth@") && auth.with.token_format === "access_token",
    "mcrouter-image.yml: a fresh access token right before the docker login");
  assert.equal(list[login].with.password, `\${{ steps.${auth.id}.outputs.access_token }}`, "the login uses that fresh token");
  assert.equal(list[login + 1].with?.push, true, "the push follows the login at once");
  const dockerfile = readFileSync(join(root, "images/mcrouter/Dockerfile"), "utf8");
  assert.match(dockerfile, /^ARG MCROUTER_TAG=v\d{4}\.\d{2}\.\d{2}\.\d{2}$/m, "a pinned upstream release tag");
  assert.match(dockerfile, /^USER 65534:65534$/m, "runs as nobody");
  assert.match(dockerfile, /install_ubuntu_24\.04\.sh/, "upstream's own build scripts, by tag");
});

test("Dependabot watches the actions of the workflows and of every composite action", () => {
  const d = parse(readFileSync(dependabotFile, "utf8"));
  const gha = d.updates.find((u) => u["package-ecosystem"] === "github-actions");
  const dirs = gha.directories ?? [gha.directory];
  assert.ok(dirs.includes("/"), "Dependabot reads .github/workflows through the directory /");
  for (const f of actionFiles) {
    const dir = "/.github/actions/" + relative(actionsDir, dirname(f)).split("\\").join("/");
    assert.ok(dirs.includes(dir), `Dependabot does not watch ${dir} (listed one by one: a glob is reported to match nothing)`);
  }
});
