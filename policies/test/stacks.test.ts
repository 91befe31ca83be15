// Which stacks the project has and the pack configuration each gets (src/stacks.ts), and the shipped
// configuration files: config/development.json relaxes exactly the production-only rules, one step.

import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import { checkPackConfig, enforcementLevelOf } from "../src/engine";
import { allPolicies, developmentLevel, PRODUCTION_ONLY } from "../src/pack";
import { CONFIG_DIR, discoverStacks, packConfigFor, PROJECT_DIR, projectName, readPackConfig, stackEnvironment } from "../src/stacks";

/** A throw-away project root with Pulumi.yaml and the given stack files. */
function project(stacks: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "project-"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: memcached-gke\nruntime: java\n");
    for (const [stack, text] of Object.entries(stacks)) fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), text);
    return dir;
}

describe("stack discovery", () => {
    it("finds every stack of this project from its Pulumi.<stack>.yaml files", () => {
        const expected = fs.readdirSync(PROJECT_DIR).filter(f => /^Pulumi\..+\.yaml$/.test(f)).map(f => f.slice("Pulumi.".length, -".yaml".length)).sort();
        assert.deepEqual(discoverStacks(), expected);
        for (const s of ["dev", "prod", "local"]) assert.ok(discoverStacks().includes(s), s);
        assert.equal(projectName(), "memcached-gke");
    });
    it("ignores Pulumi.yaml and other files, and reads .yml too", () => {
        const dir = project({ qa: "config: {}\n" });
        fs.writeFileSync(path.join(dir, "Pulumi.staging.yml"), "config: {}\n");
        fs.writeFileSync(path.join(dir, "README.md"), "");
        assert.deepEqual(discoverStacks(dir), ["qa", "staging"]);
    });
});

describe("the environment of a stack", () => {
    it("reads memcached-gke:environment of this project's stacks", () => {
        assert.equal(stackEnvironment("dev").environment, "development");
        assert.equal(stackEnvironment("local").environment, "development");
        assert.deepEqual(stackEnvironment("prod"), { environment: "production", source: "memcached-gke:environment: production in Pulumi.prod.yaml" });
    });
    it("defaults to development when the key or the file is absent, and rejects a non-name", () => {
        const dir = project({ bare: "config:\n  memcached-gke:namespace: x\n", empty: "", odd: "config:\n  memcached-gke:environment: [a]\n" });
        assert.deepEqual(stackEnvironment("bare", dir), { environment: "development", source: "memcached-gke:environment unset in Pulumi.bare.yaml: development, the default" });
        assert.equal(stackEnvironment("empty", dir).environment, "development");
        assert.equal(stackEnvironment("nofile", dir).environment, "development");
        assert.throws(() => stackEnvironment("odd", dir), /Pulumi\.odd\.yaml: memcached-gke:environment must be a plain name/);
    });
});

describe("the pack configuration of a stack", () => {
    it("gives dev and local config/development.json, prod config/production.json (unless a stack has its own exception file)", () => {
        const expected = (stack: string, environmentFile: string) =>
            fs.existsSync(path.join(CONFIG_DIR, `${stack}.json`)) ? path.join(CONFIG_DIR, `${stack}.json`) : path.join(CONFIG_DIR, environmentFile);
        assert.equal(packConfigFor("dev").file, expected("dev", "development.json"));
        assert.equal(packConfigFor("local").file, expected("local", "development.json"));
        assert.equal(packConfigFor("prod").file, expected("prod", "production.json"));
    });
    it("prefers config/<stack>.json over config/<environment>.json", () => {
        const dir = project({ qa: "config:\n  memcached-gke:environment: production\n" });
        const configDir = fs.mkdtempSync(path.join(os.tmpdir(), "config-"));
        fs.writeFileSync(path.join(configDir, "production.json"), "{}");
        assert.equal(packConfigFor("qa", { projectDir: dir, configDir }).file, path.join(configDir, "production.json"));
        fs.writeFileSync(path.join(configDir, "qa.json"), JSON.stringify({ "gke-private-nodes": "advisory" }));
        const chosen = packConfigFor("qa", { projectDir: dir, configDir });
        assert.equal(chosen.file, path.join(configDir, "qa.json"));
        assert.deepEqual(chosen.config, { "gke-private-nodes": "advisory" });
    });
    it("fails naming the stack when neither file exists", () => {
        const dir = project({ qa: "config:\n  memcached-gke:environment: staging\n" });
        assert.throws(() => packConfigFor("qa", { projectDir: dir }), /^Error: stack qa: no pack configuration: neither qa\.json nor staging\.json exists in /);
    });
    it("rejects a file that is not a JSON object", () => {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "config-")), "x.json");
        fs.writeFileSync(file, "[1]");
        assert.throws(() => readPackConfig(file), /a pack configuration is a JSON object/);
    });
});

describe("config/*.json", () => {
    const development = readPackConfig(path.join(CONFIG_DIR, "development.json"));
    const production = readPackConfig(path.join(CONFIG_DIR, "production.json"));
    it("are valid pack configurations (names, levels)", () => {
        checkPackConfig(allPolicies, development);
        checkPackConfig(allPolicies, production);
    });
    it("production-only rules are policies of the pack, reported in code (so a preview without any config is as strict as production)", () => {
        for (const name of PRODUCTION_ONLY) {
            assert.ok(["mandatory", "advisory"].includes(allPolicies.find(p => p.name === name)?.enforcementLevel ?? ""), name);
        }
    });
    it("development.json relaxes exactly the production-only rules, one step: mandatory to advisory (still reported), advisory to disabled", () => {
        assert.deepEqual(Object.keys(development).sort(), [...PRODUCTION_ONLY].sort());
        for (const p of allPolicies) {
            assert.equal(enforcementLevelOf(p, development), PRODUCTION_ONLY.includes(p.name) ? developmentLevel(p.enforcementLevel) : p.enforcementLevel, p.name);
        }
        assert.equal(development["k8s-no-host-ports"], "advisory");
        assert.equal(development["mcrouter-image-own-registry"], "disabled");
    });
    it("production.json keeps every policy at its code level (and says so for the production-only rules)", () => {
        for (const p of allPolicies) assert.equal(enforcementLevelOf(p, production), p.enforcementLevel, p.name);
        assert.deepEqual(Object.keys(production).sort(), [...PRODUCTION_ONLY].sort());
    });
});
