// Conformance: every stack this project ships passes the pack, offline.
//
//   node bin/conformance/run.js [--render-dir DIR] [--policy-config FILE] [--project-dir DIR] [--config-dir DIR] [stack...]
//
// With no stack arguments it checks every stack of the project: one per Pulumi.<stack>.yaml in the
// project root (default: the parent of policies/). Each stack is checked under its own pack
// configuration (src/stacks.ts): config/<stack>.json if it exists, else config/<environment>.json,
// <environment> being `memcached-gke:environment` of Pulumi.<stack>.yaml (default development);
// --policy-config FILE overrides that for every stack. It prints which file each stack used.
//
// For each stack it reads <render-dir>/<stack>/resources.json (default ../target/render, written by
// `mvn compile exec:java@render -Dstack=<stack>`), runs every resource policy on every resource and
// every stack policy on the stack the way the engine would (src/engine.ts), prints the advisories and
// fails on any mandatory violation. Then it validates every document of manifests.yaml against the
// Kubernetes schema with kubernetes-models (CRDs it has no schema for are reported and skipped) and
// checks each document is exactly the inputs of its resource in resources.json.
// Exit status: 0 when everything passes, 1 otherwise (a missing render fails).

import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { PackConfig, RenderedResource, runPack, stackFromRender, Violation } from "../src/engine";
import { allPolicies, PACK_NAME } from "../src/pack";
import { CONFIG_DIR, discoverStacks, packConfigFor, PROJECT_DIR, projectName, readPackConfig } from "../src/stacks";
import { parseKubeType } from "../src/util";

interface Options {
    renderDir: string;
    policyConfig?: string;
    projectDir: string;
    configDir: string;
    stacks: string[];
    /** True when the stacks were discovered from the project's stack files, not named. */
    discovered: boolean;
}

function parseArgs(argv: string[]): Options {
    const opts: Options = { renderDir: path.join(PROJECT_DIR, "target", "render"), projectDir: PROJECT_DIR, configDir: CONFIG_DIR, stacks: [], discovered: false };
    const value = (i: number, option: string) => {
        if (i >= argv.length || argv[i].startsWith("-")) throw new Error(`${option} needs a value`);
        return path.resolve(argv[i]);
    };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (a === "--render-dir") opts.renderDir = value(++i, a);
        else if (a === "--policy-config") opts.policyConfig = value(++i, a);
        else if (a === "--project-dir") opts.projectDir = value(++i, a);
        else if (a === "--config-dir") opts.configDir = value(++i, a);
        else if (a.startsWith("-")) throw new Error(`unknown option ${a}`);
        else opts.stacks.push(a);
    }
    if (opts.stacks.length === 0) {
        opts.stacks = discoverStacks(opts.projectDir);
        opts.discovered = true;
        if (opts.stacks.length === 0) throw new Error(`no stacks: ${opts.projectDir} has no Pulumi.<stack>.yaml`);
    }
    return opts;
}

/** "type::name" of a URN, for messages. */
function resourceOf(urn: string | undefined): string {
    if (!urn) return "(stack)";
    const parts = urn.split("::");
    const qualified = parts[2] ?? "";
    return `${qualified.split("$").pop()}::${parts.slice(3).join("::")}`;
}

/**
 * An exponent float needs a digit before its exponent, as kubectl's YAML reader (go-yaml) reads it:
 * `1e3` is a number, `e31067` (a hash-like label value) a string. The yaml package's YAML 1.1 schema
 * also takes an empty mantissa (`e31067`, `.e5`) for a float, NaN.
 */
const FLOAT_EXP = /^[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9_]+)[eE][-+]?[0-9]+$/;

/** Parses YAML as kubectl does (YAML 1.1 scalars: unquoted 5000 is a number, on/yes are booleans), minus timestamps and base-60 numbers. */
function parseManifests(text: string): YAML.Document.Parsed[] {
    return YAML.parseAllDocuments(text, {
        version: "1.1",
        customTags: tags =>
            tags
                .filter(t => !(typeof t === "object" && (t.tag === "tag:yaml.org,2002:timestamp" || t.format === "TIME")))
                .map(t => (typeof t === "object" && t.tag === "tag:yaml.org,2002:float" && t.format === "EXP" ? ({ ...(t as YAML.ScalarTag), test: FLOAT_EXP } as YAML.ScalarTag) : t)),
    }) as YAML.Document.Parsed[];
}

type ModelClass = new (data: unknown) => { validate(): void };

/** The kubernetes-models class of apiVersion/kind; "no-group" when the package has no such API group/version (a CRD), "no-kind" when the group has no such kind. */
function modelClass(apiVersion: string, kind: string): ModelClass | "no-group" | "no-kind" {
    let mod: Record<string, unknown>;
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        mod = require(`kubernetes-models/${apiVersion}`);
    } catch (e: any) {
        if (e?.code === "ERR_PACKAGE_PATH_NOT_EXPORTED" || e?.code === "MODULE_NOT_FOUND") return "no-group";
        throw e;
    }
    const cls = mod[kind];
    return typeof cls === "function" ? (cls as ModelClass) : "no-kind";
}

/** The first path where a and b differ, with both values; undefined when equal. */
function firstDifference(a: unknown, b: unknown, at = ""): string | undefined {
    if (a === b) return undefined;
    const both = (pred: (v: unknown) => boolean) => pred(a) && pred(b);
    if (both(Array.isArray)) {
        const x = a as unknown[], y = b as unknown[];
        for (let i = 0; i < Math.max(x.length, y.length); i++) {
            const d = firstDifference(x[i], y[i], `${at}[${i}]`);
            if (d) return d;
        }
        return undefined;
    }
    if (both(v => typeof v === "object" && v !== null && !Array.isArray(v))) {
        const x = a as Record<string, unknown>, y = b as Record<string, unknown>;
        for (const k of [...new Set([...Object.keys(x), ...Object.keys(y)])].sort()) {
            const d = firstDifference(x[k], y[k], at ? `${at}.${k}` : k);
            if (d) return d;
        }
        return undefined;
    }
    return `${at || "(root)"}: manifests.yaml has ${JSON.stringify(a)} (${typeof a}), resources.json has ${JSON.stringify(b)} (${typeof b})`;
}

const objectKey = (o: any) => `${o?.apiVersion}|${o?.kind}|${o?.metadata?.namespace ?? ""}|${o?.metadata?.name}`;
const objectName = (o: any) => `${o?.apiVersion} ${o?.kind} ${o?.metadata?.namespace ? o.metadata.namespace + "/" : ""}${o?.metadata?.name}`;

/** The pack configuration of a stack and how to name its file in output; undefined (with a failure) when none resolves. */
function configOfStack(stack: string, opts: Options, failures: string[]): { config: PackConfig; file: string } | undefined {
    const shown = (f: string) => path.relative(process.cwd(), f) || f;
    if (opts.policyConfig) {
        const config = readPackConfig(opts.policyConfig);
        console.log(`${stack}: pack config ${shown(opts.policyConfig)} (--policy-config)`);
        return { config, file: opts.policyConfig };
    }
    try {
        const resolved = packConfigFor(stack, { projectDir: opts.projectDir, configDir: opts.configDir });
        console.log(`${stack}: pack config ${shown(resolved.file)} (${resolved.environmentSource})`);
        return { config: resolved.config, file: resolved.file };
    } catch (e: any) {
        failures.push(`[${stack}] ${e?.message ?? e}`);
        console.log(`  [${stack}] ${e?.message ?? e}`);
        return undefined;
    }
}

async function checkStack(stack: string, opts: Options, failures: string[]): Promise<void> {
    const chosen = configOfStack(stack, opts, failures);
    if (!chosen) return;
    const { config } = chosen;
    const dir = path.join(opts.renderDir, stack);
    const resourcesFile = path.join(dir, "resources.json");
    const manifestsFile = path.join(dir, "manifests.yaml");
    const missing = [resourcesFile, manifestsFile].filter(f => !fs.existsSync(f));
    if (missing.length > 0) {
        for (const f of missing) {
            failures.push(`[${stack}] render missing: ${path.relative(process.cwd(), f)} (run: mvn -B -q compile exec:java@render -Dstack=${stack})`);
        }
        return;
    }

    // 1. The pack, resource and stack policies.
    const rendered: RenderedResource[] = JSON.parse(fs.readFileSync(resourcesFile, "utf8"));
    const violations: Violation[] = await runPack(allPolicies, stackFromRender(stack, projectName(opts.projectDir), rendered), config);
    const advisories = violations.filter(v => v.level === "advisory");
    const mandatory = violations.filter(v => v.level === "mandatory");
    for (const v of advisories) {
        console.log(`  advisory   [${stack}] ${v.policy}  ${resourceOf(v.urn)}  ${v.message}`);
    }
    for (const v of mandatory) {
        const line = `[${stack}] MANDATORY ${v.policy}  ${resourceOf(v.urn)}  ${v.message}`;
        console.log(`  ${line}`);
        failures.push(line);
    }

    // 2. manifests.yaml: Kubernetes schema, and the same objects as resources.json.
    const docs = parseManifests(fs.readFileSync(manifestsFile, "utf8"));
    const inputsByKey = new Map<string, Record<string, any>>();
    for (const r of rendered) {
        if (parseKubeType(r.type)) inputsByKey.set(objectKey(r.inputs), r.inputs);
    }
    let valid = 0;
    const skipped: string[] = [];
    const seen = new Set<string>();
    for (const [i, doc] of docs.entries()) {
        const where = `[${stack}] manifests.yaml document ${i + 1}`;
        if (doc.errors.length > 0) {
            failures.push(`${where}: YAML error: ${doc.errors.map(e => e.message).join("; ")}`);
            continue;
        }
        const obj = doc.toJS() as any;
        if (obj === null || obj === undefined) continue;
        const name = objectName(obj);
        if (typeof obj.apiVersion !== "string" || typeof obj.kind !== "string") {
            failures.push(`${where}: no apiVersion/kind`);
            continue;
        }
        const cls = modelClass(obj.apiVersion, obj.kind);
        if (cls === "no-group") {
            skipped.push(name);
            console.log(`  note       [${stack}] ${name}: kubernetes-models has no schema for ${obj.apiVersion} (a CRD); schema check skipped`);
        } else if (cls === "no-kind") {
            failures.push(`${where} (${name}): ${obj.apiVersion} has no kind ${JSON.stringify(obj.kind)}`);
        } else {
            try {
                new cls(obj).validate();
                valid++;
            } catch (e: any) {
                failures.push(`${where} (${name}): invalid: ${e?.message ?? e}`);
            }
        }
        const key = objectKey(obj);
        seen.add(key);
        const inputs = inputsByKey.get(key);
        if (!inputs) {
            failures.push(`${where} (${name}): no such Kubernetes resource in resources.json`);
        } else {
            const diff = firstDifference(obj, inputs);
            if (diff) failures.push(`${where} (${name}) differs from its resources.json inputs at ${diff}`);
        }
    }
    for (const [key, inputs] of inputsByKey) {
        if (!seen.has(key)) failures.push(`[${stack}] ${objectName(inputs)} is in resources.json but not in manifests.yaml`);
    }
    console.log(
        `${stack}: ${rendered.length} resources x ${allPolicies.length} policies: ${mandatory.length} mandatory, ${advisories.length} advisory; ` +
            `manifests.yaml: ${docs.length} documents, ${valid} valid against kubernetes-models, ${skipped.length} skipped (no schema)`,
    );
}

async function main(): Promise<number> {
    const opts = parseArgs(process.argv.slice(2));
    const which = opts.discovered ? `from ${path.join(path.relative(process.cwd(), opts.projectDir) || ".", "Pulumi.<stack>.yaml")}` : "as named";
    console.log(`policy pack ${PACK_NAME}: ${allPolicies.length} policies; stacks ${opts.stacks.join(", ")} (${which}); renders in ${path.relative(process.cwd(), opts.renderDir) || "."}`);
    const failures: string[] = [];
    for (const stack of opts.stacks) {
        await checkStack(stack, opts, failures);
    }
    if (failures.length > 0) {
        console.error(`\nconformance FAILED (${failures.length}):`);
        for (const f of failures) console.error(`  ${f}`);
        return 1;
    }
    console.log("conformance passed: no mandatory violations, every manifest valid");
    return 0;
}

main().then(
    code => process.exit(code),
    err => {
        console.error(`conformance error: ${err?.stack ?? err}`);
        process.exit(1);
    },
);
