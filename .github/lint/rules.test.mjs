// The workflow rules catch what they are for: each case copies the workflows (and the setup action, dependabot.yml
// and docs/delivery.md), makes one realistic mistake in one of them, runs workflows.test.mjs against the copy
// (WORKFLOWS_DIR, ACTIONS_DIR, DEPENDABOT_FILE, DELIVERY_DOC) and expects it to fail with the rule's message.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const github = join(here, "..");

/**
 * Runs the lint with one file changed by `edit`; returns its output. `file` is a workflow's name, or
 * "actions/setup/action.yml", "dependabot.yml" or "delivery.md".
 */
function lintWith(file, edit) {
  const dir = mkdtempSync(join(tmpdir(), "workflows-"));
  try {
    cpSync(join(github, "workflows"), join(dir, "workflows"), { recursive: true });
    cpSync(join(github, "actions"), join(dir, "actions"), { recursive: true });
    cpSync(join(github, "dependabot.yml"), join(dir, "dependabot.yml"));
    cpSync(join(github, "..", "docs", "delivery.md"), join(dir, "delivery.md"));
    const path = join(dir, /^(actions\/|dependabot\.yml$|delivery\.md$)/.test(file) ? file : join("workflows", file));
    const before = readFileSync(path, "utf8");
    const after = edit(before);
    assert.notEqual(after, before, `the mistake was not made in ${file}`);
    writeFileSync(path, after);
    // Without NODE_TEST_CONTEXT: the inner run is a test run of its own, not a child of this one.
    const { NODE_TEST_CONTEXT, ...env } = process.env;
    const r = spawnSync(process.execPath, ["--test", "--test-reporter=spec", join(here, "workflows.test.mjs")],
      { env: { ...env, WORKFLOWS_DIR: join(dir, "workflows"), ACTIONS_DIR: join(dir, "actions"),
        DEPENDABOT_FILE: join(dir, "dependabot.yml"), DELIVERY_DOC: join(dir, "delivery.md") }, encoding: "utf8" });
    return { status: r.status, out: r.stdout + r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const cases = [
  ["the CLI version left to the action's default", "pull-request.yml",
    (t) => t.replace("          pulumi-version-file: .github/pulumi-version\n", ""),
    "pull-request.yml: job preview: pulumi/actions without pulumi-version-file"],
  ["a CLI range instead of the version file", "deliver.yml",
    (t) => t.replace("          stack-name: dev\n          pulumi-version-file: .github/pulumi-version\n", "          stack-name: dev\n          pulumi-version: ^3\n"),
    "deliver.yml: job up-dev: pulumi/actions without pulumi-version-file"],
  ["the e2e destroy only on success", "pull-request.yml",
    (t) => t.replace("      - name: pulumi destroy (always)\n        if: always()\n", "      - name: pulumi destroy (always)\n"),
    "pulumi destroy must run if: always()"],
  ["the kind cluster left behind on failure", "pull-request.yml",
    (t) => t.replace("      - name: Delete the kind cluster (always)\n        if: always()\n", "      - name: Delete the kind cluster (always)\n"),
    "kind delete cluster after destroy, if: always()"],
  ["previews as the deploy account", "pull-request.yml",
    (t) => t.replace("gcp-service-account: ${{ vars.GCP_PREVIEW_SERVICE_ACCOUNT }}", "gcp-service-account: ${{ vars.GCP_DEPLOY_SERVICE_ACCOUNT }}"),
    "a pull request never sees the deploy or e2e account"],
  ["the preview not gated for forks and Dependabot", "pull-request.yml",
    (t) => t.replace("    if: needs.gate.outputs.trusted == 'true'\n", ""),
    "pull-request.yml: job preview is not skipped for forks and Dependabot"],
  ["the gate forgets Dependabot", "pull-request.yml",
    (t) => t.replace('          elif [ "$AUTHOR" = "dependabot[bot]" ] || [ "$ACTOR" = "dependabot[bot]" ]; then\n            reason="Dependabot opened it"\n', ""),
    "dependabot"],
  ["a preview without the stack's pack configuration", "pull-request.yml",
    (t) => t.replace("          policyPackConfigs: ${{ steps.pack.outputs.config }}\n", ""),
    "pull-request.yml: job preview: no policyPackConfigs"],
  ["a shell up without the pack configuration", "e2e-gke.yml",
    (t) => t.replace('pulumi up --yes --non-interactive --stack "$STACK" --policy-pack policies --policy-pack-config "$pack"',
      'pulumi up --yes --non-interactive --stack "$STACK" --policy-pack policies'),
    "without the policy pack and the stack's configuration"],
  ["the pack configuration computed inside the up's arguments again", "e2e-gke.yml",
    (t) => t.replace('          pack=$(node policies/bin/conformance/config-of.js "$STACK")\n          pulumi up --yes --non-interactive --stack "$STACK" --policy-pack policies --policy-pack-config "$pack"',
      '          pulumi up --yes --non-interactive --stack "$STACK" --policy-pack policies --policy-pack-config "$(node policies/bin/conformance/config-of.js "$STACK")"'),
    "has a $(...) that is not a plain assignment"],
  ["an action by a moving tag", "mcrouter-image.yml",
    (t) => t.replace("docker/login-action@4907a6ddec9925e35a0a9e82d7399ccc52663121 # v4.1.0", "docker/login-action@v4"),
    "uses docker/login-action@v4: pin the commit"],
  ["the deploy account from any branch", "deliver.yml",
    (t) => t.replace("  up-dev:\n    needs: test\n    if: github.ref == 'refs/heads/main'\n", "  up-dev:\n    needs: test\n"),
    "without running only from main"],
  ["a stack that must exist before its first up", "deliver.yml",
    (t) => t.replace("          stack-name: prod\n          pulumi-version-file: .github/pulumi-version\n          upsert: true\n",
      "          stack-name: prod\n          pulumi-version-file: .github/pulumi-version\n"),
    "job up-prod: the stack is created when missing"],
  // Issue 29: each defect found by review, put back.
  ["the state uploaded without its hidden files (.pulumi/)", "e2e-gke.yml",
    (t) => t.replace("          include-hidden-files: true\n", ""),
    "upload-artifact without include-hidden-files: true"],
  ["the pack configuration echoed straight into GITHUB_OUTPUT", "deliver.yml",
    (t) => t.replace('          config=$(node policies/bin/conformance/config-of.js dev)\n          echo "config=$config" >> "$GITHUB_OUTPUT"',
      '          echo "config=$(node policies/bin/conformance/config-of.js dev)" >> "$GITHUB_OUTPUT"'),
    "computes a value inside an echo/printf into $GITHUB_OUTPUT or $GITHUB_ENV"],
  ["the state secrets read outside an environment (a repository secret)", "deliver.yml",
    (t) => t.replace("    timeout-minutes: 60\n    environment: development\n", "    timeout-minutes: 60\n"),
    "deliver.yml: job up-dev references secrets.PULUMI_ACCESS_TOKEN outside a GitHub environment"],
  ["a pull request's preview in a deploy environment", "pull-request.yml",
    (t) => t.replace("    environment: preview\n", "    environment: development\n"),
    "pull-request.yml: job preview: a pull request reads secrets.PULUMI_ACCESS_TOKEN of development"],
  ["upsert in a pull request's preview", "pull-request.yml",
    (t) => t.replace("          command: preview\n", "          command: preview\n          upsert: true\n"),
    "pull-request.yml: job preview: a preview with upsert creates the stack"],
  ["an up that does not wait for the head-of-main guard", "deliver.yml",
    (t) => t.replace("      - if: steps.head.outputs.deploy == 'true'\n        uses: pulumi/actions@8e5e406f4007fca908480587cb9893c07090f58d # v7.0.0\n        with:\n          command: up\n          stack-name: dev",
      "      - uses: pulumi/actions@8e5e406f4007fca908480587cb9893c07090f58d # v7.0.0\n        with:\n          command: up\n          stack-name: dev"),
    "deliver.yml: job up-dev: the up runs only if the guard says deploy"],
  ["an up with no guard at all", "deliver.yml",
    (t) => t.replace("        run: scripts/ci/head-of-main.sh dev\n", "        run: echo deploy=true >> \"$GITHUB_OUTPUT\"\n"),
    "the step right before the up of dev is the head-of-main guard"],
  ["prod approved blind (no preview before up-prod)", "deliver.yml",
    (t) => t.replace("  up-prod:\n    needs: preview-prod\n", "  up-prod:\n    needs: up-dev\n"),
    "deliver.yml: job up-prod runs after a job that previews prod"],
  ["the e2e destroy back inside the e2e job, if: always()", "e2e-gke.yml",
    (t) => t.replace("          scripts/node-pool-check.sh \"$RUNNER_TEMP/kubeconfig\" \"$namespace\"\n",
      "          scripts/node-pool-check.sh \"$RUNNER_TEMP/kubeconfig\" \"$namespace\"\n      - name: pulumi destroy (always)\n        if: always()\n        run: pulumi destroy --yes --non-interactive --skip-preview --stack \"$STACK\"\n"),
    "no file backend and no destroy inside the e2e job"],
  ["the destroy job only after a success", "e2e-gke.yml",
    (t) => t.replace("if: ${{ always() && github.ref == 'refs/heads/main'", "if: ${{ success() && github.ref == 'refs/heads/main'"),
    "the destroy job runs if: ${{ always() ... }}"],
  ["the destroy job destroying without unlocking (plain pulumi destroy)", "e2e-gke.yml",
    (t) => t.replace('          scripts/ci/destroy-stack.sh "$STACK" --rm\n', '          pulumi destroy --yes --non-interactive --stack "$STACK"\n'),
    "e2e-gke.yml: one job runs scripts/ci/destroy-stack.sh"],
  ["the e2e state back on the runner", "e2e-gke.yml",
    (t) => t.replace("      PULUMI_BACKEND_URL: ${{ vars.E2E_PULUMI_BACKEND_URL }}\n      # Environment secret", "      PULUMI_BACKEND_URL: file:///tmp/pulumi-state\n      # Environment secret"),
    "the state in the e2e state bucket"],
  ["the sweep without its schedule", "e2e-sweep.yml",
    (t) => t.replace('  schedule:\n    - cron: "23 */6 * * *"\n', ""),
    "e2e-sweep.yml runs on a schedule"],
  ["a sweep limit shorter than a run", "e2e-sweep.yml",
    (t) => t.replace("inputs.older-than-hours || '6'", "inputs.older-than-hours || '2'"),
    "is longer than an e2e run can be"],
  ["an action on Node 20 (checkout v4.2.2 by commit)", "deliver.yml",
    (t) => t.replace("actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1", "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2"),
    "actions/checkout v4.2.2 runs on Node 20"],
  ["a setup action on Node 20", "actions/setup/action.yml",
    (t) => t.replace("actions/setup-node@820762786026740c76f36085b0efc47a31fe5020 # v7.0.0", "actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020 # v4.4.0"),
    "actions/setup-node v4.4.0 runs on Node 20"],
  ["pulumi/actions commenting on the PR (first 30 comments)", "pull-request.yml",
    (t) => t.replace("          comment-on-pr: false\n", "          comment-on-pr: true\n"),
    "comment-on-pr: true"],
  ["the gate forgets GCP_PROJECT", "pull-request.yml",
    (t) => t.replace('          [ -n "$PROJECT" ] || missing="$missing GCP_PROJECT"\n', ""),
    "the gate does not check that vars.GCP_PROJECT is set"],
  ["the mcrouter push with the token from the start of the job", "mcrouter-image.yml",
    (t) => t.replace("          password: ${{ steps.reauth.outputs.access_token }}", "          password: ${{ steps.setup.outputs.access-token }}"),
    "the login uses that fresh token"],
  ["a composite action Dependabot does not watch", "dependabot.yml",
    (t) => t.replace('directories: ["/", "/.github/actions/setup"]', 'directories: ["/"]'),
    "Dependabot does not watch /.github/actions/setup"],
  ["the docs binding the deploy account by ref instead of the production environment's subject", "delivery.md",
    (t) => t.replace("bind $DEPLOY $PROJECT production\n", ""),
    "docs/delivery.md binds no subject repo:<repo>:environment:production"],
];

for (const [name, file, edit, message] of cases) {
  test(`the lint catches: ${name}`, () => {
    const r = lintWith(file, edit);
    assert.notEqual(r.status, 0, `the lint passed with: ${name}`);
    assert.ok(r.out.includes(message), `the lint failed, but not with "${message}":\n${r.out.split("\n").filter((l) => /Error|✖/.test(l)).join("\n")}`);
  });
}
