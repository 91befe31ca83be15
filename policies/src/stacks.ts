// The stacks the project has and the pack configuration each one is checked under. Shared by the
// conformance run and the mutation test; the pack itself (src/pack.ts, index.ts) never imports it,
// so the `yaml` devDependency it reads stack files with is not a runtime dependency of the pack.
//
//   stacks:  every Pulumi.<stack>.yaml of the project root (the parent of policies/)
//   config:  policies/config/<stack>.json if it exists, else policies/config/<environment>.json,
//            where <environment> is `<project>:environment` of Pulumi.<stack>.yaml ("development" when unset)
//
// The file is what `pulumi preview --policy-pack policies --policy-pack-config <file>` takes.

import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import type { PackConfig } from "./engine";

/** policies/ (this file compiles to policies/bin/src/stacks.js). */
export const POLICIES_DIR = path.resolve(__dirname, "..", "..");
/** The Pulumi project root: the parent of policies/. */
export const PROJECT_DIR = path.resolve(POLICIES_DIR, "..");
/** Where the per-stack and per-environment pack configurations live. */
export const CONFIG_DIR = path.join(POLICIES_DIR, "config");

/** The environment of a stack whose stack file doesn't set one: the program's own default, from the shared source. */
export { DEFAULT_ENVIRONMENT } from "./shared";
import { DEFAULT_ENVIRONMENT } from "./shared";

/** The project name of Pulumi.yaml (the namespace of its config keys); "memcached-gke" if it can't be read. */
export function projectName(projectDir: string = PROJECT_DIR): string {
    const file = path.join(projectDir, "Pulumi.yaml");
    if (!fs.existsSync(file)) return "memcached-gke";
    const name = YAML.parse(fs.readFileSync(file, "utf8"))?.name;
    return typeof name === "string" && name !== "" ? name : "memcached-gke";
}

const STACK_FILE = /^Pulumi\.(.+)\.ya?ml$/;

/** Every stack of the project: the <stack> of each Pulumi.<stack>.yaml in the project root, sorted. */
export function discoverStacks(projectDir: string = PROJECT_DIR): string[] {
    const stacks = fs
        .readdirSync(projectDir)
        .map(f => STACK_FILE.exec(f)?.[1])
        .filter((s): s is string => s !== undefined);
    return [...new Set(stacks)].sort();
}

/** The stack file of a stack, or undefined when the project has none for it. */
export function stackFile(stack: string, projectDir: string = PROJECT_DIR): string | undefined {
    return [".yaml", ".yml"].map(ext => path.join(projectDir, `Pulumi.${stack}${ext}`)).find(f => fs.existsSync(f));
}

/** `<project>:environment` of Pulumi.<stack>.yaml; "development" when the file or the key is absent. */
export function stackEnvironment(stack: string, projectDir: string = PROJECT_DIR): { environment: string; source: string } {
    const file = stackFile(stack, projectDir);
    const key = `${projectName(projectDir)}:environment`;
    if (!file) return { environment: DEFAULT_ENVIRONMENT, source: `no Pulumi.${stack}.yaml: ${DEFAULT_ENVIRONMENT}, the default` };
    const doc = YAML.parse(fs.readFileSync(file, "utf8")) ?? {};
    const value = doc?.config?.[key];
    if (value === undefined || value === null) return { environment: DEFAULT_ENVIRONMENT, source: `${key} unset in ${path.basename(file)}: ${DEFAULT_ENVIRONMENT}, the default` };
    if (typeof value !== "string" || !/^[A-Za-z0-9_-]+$/.test(value)) {
        throw new Error(`${path.basename(file)}: ${key} must be a plain name such as "production", got ${JSON.stringify(value)}`);
    }
    return { environment: value, source: `${key}: ${value} in ${path.basename(file)}` };
}

/** The pack configuration a stack is checked under, and where it came from. */
export interface StackPackConfig {
    stack: string;
    environment: string;
    /** Where the environment came from: "memcached-gke:environment: production in Pulumi.prod.yaml". */
    environmentSource: string;
    /** The configuration file chosen (absolute path). */
    file: string;
    config: PackConfig;
}

export interface ResolveOptions {
    projectDir?: string;
    configDir?: string;
}

/** policies/config/<stack>.json if it exists, else policies/config/<environment>.json; throws, naming the stack, when neither does. */
export function packConfigFor(stack: string, opts: ResolveOptions = {}): StackPackConfig {
    const projectDir = opts.projectDir ?? PROJECT_DIR;
    const configDir = opts.configDir ?? CONFIG_DIR;
    const { environment, source } = stackEnvironment(stack, projectDir);
    const candidates = [path.join(configDir, `${stack}.json`), path.join(configDir, `${environment}.json`)];
    const file = candidates.find(f => fs.existsSync(f));
    if (!file) {
        throw new Error(`stack ${stack}: no pack configuration: neither ${candidates.map(f => path.basename(f)).join(" nor ")} exists in ${configDir} (environment from ${source})`);
    }
    return { stack, environment, environmentSource: source, file, config: readPackConfig(file) };
}

/** A `--policy-pack-config` JSON file: an object of policy name -> level or { enforcementLevel, ...properties }. */
export function readPackConfig(file: string): PackConfig {
    let parsed: unknown;
    try {
        parsed = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e: any) {
        throw new Error(`${file}: not a JSON pack configuration: ${e?.message ?? e}`);
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
        throw new Error(`${file}: a pack configuration is a JSON object of policy name -> level or settings`);
    }
    return parsed as PackConfig;
}
