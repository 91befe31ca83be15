// The workflow rules catch what they are for: each case copies the workflows, makes one realistic mistake, runs
// workflows.test.mjs against the copy (WORKFLOWS_DIR) and expects it to fail with the rule's message.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const workflows = join(here, "..", "workflows");

/** Runs the lint with one file changed by `edit`; returns its output. */
function lintWith(file, edit) {
  const dir = mkdtempSync(join(tmpdir(), "workflows-"));
  try {
    cpSync(workflows, dir, { recursive: true });
    const before = readFileSync(join(dir, file), "utf8");
    const after = edit(before);
    assert.notEqual(after, before, `the mistake was not made in ${file}`);
    writeFileSync(join(dir, file), after);
    // Without NODE_TEST_CONTEXT: the inner run is a test run of its own, not a child of this one.
    const { NODE_TEST_CONTEXT, ...env } = process.env;
    const r = spawnSync(process.execPath, ["--test", "--test-reporter=spec", join(here, "workflows.test.mjs")],
      { env: { ...env, WORKFLOWS_DIR: dir }, encoding: "utf8" });
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
    (t) => t.replace("          pulumi-version-file: .github/pulumi-version\n          upsert: true\n          cloud-url: ${{ vars.PULUMI_BACKEND_URL }}\n          config-map: \"{gcp:project: {value: ${{ vars.GCP_PROJECT }}, secret: false}}\"\n          policyPacks: policies\n          policyPackConfigs: ${{ steps.pack.outputs.config }}\n          diff: true\n\n  up-prod",
      "          pulumi-version: ^3\n          upsert: true\n          cloud-url: ${{ vars.PULUMI_BACKEND_URL }}\n          config-map: \"{gcp:project: {value: ${{ vars.GCP_PROJECT }}, secret: false}}\"\n          policyPacks: policies\n          policyPackConfigs: ${{ steps.pack.outputs.config }}\n          diff: true\n\n  up-prod"),
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
    (t) => t.replace(/pulumi up --yes --non-interactive --stack "\$STACK" \\\n\s+--policy-pack policies --policy-pack-config "\$\(node policies\/bin\/conformance\/config-of\.js "\$STACK"\)"/,
      'pulumi up --yes --non-interactive --stack "$STACK" --policy-pack policies'),
    "without the policy pack and the stack's configuration"],
  ["an action by a moving tag", "mcrouter-image.yml",
    (t) => t.replace("docker/login-action@c94ce9fb468520275223c153574b00df6fe4bcc9 # v3.7.0", "docker/login-action@v3"),
    "uses docker/login-action@v3"],
  ["the deploy account from any branch", "deliver.yml",
    (t) => t.replace("  up-dev:\n    needs: test\n    if: github.ref == 'refs/heads/main'\n", "  up-dev:\n    needs: test\n"),
    "without running only from main"],
  ["a stack that must exist before its first up", "deliver.yml",
    (t) => t.replace("          stack-name: prod\n          pulumi-version-file: .github/pulumi-version\n          upsert: true\n",
      "          stack-name: prod\n          pulumi-version-file: .github/pulumi-version\n"),
    "job up-prod: the stack is created when missing"],
];

for (const [name, file, edit, message] of cases) {
  test(`the lint catches: ${name}`, () => {
    const r = lintWith(file, edit);
    assert.notEqual(r.status, 0, `the lint passed with: ${name}`);
    assert.ok(r.out.includes(message), `the lint failed, but not with "${message}":\n${r.out.split("\n").filter((l) => /Error|✖/.test(l)).join("\n")}`);
  });
}
