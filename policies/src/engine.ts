// Calls the pack's policies the way the Pulumi engine does (see @pulumi/policy's server.js), without
// the CLI: props behind the SDK's unknown-checking proxy (a fresh copy per call), URNs with the parent
// type chain, parents resolved to resource objects for stack policies, getConfig() returning the
// schema defaults overlaid with the pack config, enforcement levels resolved from that config.
// Used by the unit tests and the conformance run; it never starts a gRPC server.

import type {
    EnforcementLevel,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { isStackPolicy, schemaDefaults } from "./meta";

// The SDK's own proxy over resource properties (it throws UnknownValueError when a policy reads a
// value unknown during preview). It is internal to @pulumi/policy: its .d.ts exports nothing.
const sdkProxy: {
    unknownCheckingProxy<T extends object>(o: T): T;
    UnknownValueError: new (...args: any[]) => Error;
} = require("@pulumi/policy/proxy");
const { unknownCheckingProxy, UnknownValueError } = sdkProxy;

type AnyPolicy = ResourceValidationPolicy | StackValidationPolicy;

/** A `--policy-pack-config` file: per policy a level, or an object with enforcementLevel and config properties; "all" sets every level. */
export type PackConfig = Record<string, EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)>;

const LEVELS: EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

/** Rejects config that names no policy of the pack, an unknown level or a property outside the policy's schema. */
export function checkPackConfig(policies: AnyPolicy[], config: PackConfig): void {
    for (const [name, value] of Object.entries(config)) {
        const level = typeof value === "string" ? value : value?.enforcementLevel;
        if (level !== undefined && !LEVELS.includes(level)) {
            throw new Error(`policy config ${JSON.stringify(name)}: unknown enforcementLevel ${JSON.stringify(level)}`);
        }
        if (name === "all") continue;
        const policy = policies.find(p => p.name === name);
        if (!policy) {
            throw new Error(`policy config names no policy of the pack: ${JSON.stringify(name)}`);
        }
        if (typeof value === "object" && value !== null) {
            for (const key of Object.keys(value)) {
                if (key !== "enforcementLevel" && !policy.configSchema?.properties?.[key]) {
                    throw new Error(`policy config ${JSON.stringify(name)}: ${JSON.stringify(key)} is not in the policy's config schema`);
                }
            }
        }
    }
}

export function enforcementLevelOf(policy: AnyPolicy, config: PackConfig = {}, packLevel: EnforcementLevel = "advisory"): EnforcementLevel {
    const own = config[policy.name];
    const configured = typeof own === "string" ? own : own?.enforcementLevel;
    const all = config.all;
    const allLevel = typeof all === "string" ? all : all?.enforcementLevel;
    let level = configured ?? allLevel ?? policy.enforcementLevel ?? packLevel;
    // The engine reports a violation of a remediate policy (after remediation) as mandatory.
    if (level === "remediate") level = "mandatory";
    return level;
}

/** What getConfig() returns: the schema defaults (the CLI fills them in) overlaid with the configured properties. */
export function configOf(policy: AnyPolicy, config: PackConfig = {}): Record<string, unknown> {
    const own = config[policy.name];
    const props = typeof own === "object" && own !== null ? { ...own } : {};
    delete props.enforcementLevel;
    return { ...schemaDefaults(policy.configSchema), ...structuredClone(props) };
}

class NotApplicable extends Error {
    constructor(public readonly reason?: string) {
        super(reason ?? "not applicable");
    }
}

function options(parentUrn?: string): PolicyResourceOptions {
    return {
        protect: false,
        ignoreChanges: [],
        aliases: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: [],
        ...(parentUrn ? { parent: parentUrn } : {}),
    };
}

const isTypeOf = (type: string) => (cls: any) => cls?.__pulumiType === type;

/** A violation as the engine reports it. */
export interface Violation {
    policy: string;
    level: EnforcementLevel;
    message: string;
    /** The resource in violation; undefined when a stack policy blames the whole stack. */
    urn?: string;
}

/** One resource as the engine's analyze call sees it. */
export interface ResourceInput {
    type: string;
    name: string;
    props: Record<string, any>;
    urn?: string;
    parentUrn?: string;
}

export function urnOf(stack: string, project: string, qualifiedType: string, name: string): string {
    return `urn:pulumi:${stack}::${project}::${qualifiedType}::${name}`;
}

/** Runs one resource policy on one resource; returns its violations at the policy's effective level. */
export async function validateResource(policy: ResourceValidationPolicy, r: ResourceInput, config: PackConfig = {}): Promise<Violation[]> {
    const level = enforcementLevelOf(policy, config);
    if (level === "disabled" || !policy.validateResource) return [];
    const urn = r.urn ?? urnOf("test", "memcached-gke", r.type, r.name);
    const out: Violation[] = [];
    const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
    for (const validate of validations) {
        const props = unknownCheckingProxy(structuredClone(r.props));
        const args: ResourceValidationArgs = {
            type: r.type,
            props,
            urn,
            name: r.name,
            opts: options(r.parentUrn),
            stackTags: new Map(),
            isType: isTypeOf(r.type),
            asType: ((cls: any) => (isTypeOf(r.type)(cls) ? props : undefined)) as ResourceValidationArgs["asType"],
            getConfig: <T extends object>() => configOf(policy, config) as T,
            notApplicable: (reason?: string): never => {
                throw new NotApplicable(reason);
            },
        };
        try {
            await Promise.resolve(validate(args, message => out.push({ policy: policy.name, level, message, urn })));
        } catch (e) {
            if (e instanceof NotApplicable) break;
            if (e instanceof UnknownValueError) {
                out.push({ policy: policy.name, level: "advisory", message: `can't run policy '${policy.name}' during preview: ${(e as Error).message}`, urn });
                continue;
            }
            throw e;
        }
    }
    return out;
}

/** One resource of a stack as the engine's analyzeStack call sees it, before parents are linked. */
export interface StackResourceInput {
    type: string;
    name: string;
    props: Record<string, any>;
    urn: string;
    parentUrn?: string;
}

/** Builds the PolicyResource objects of a stack: fresh proxied props, parents linked by URN. */
export function policyResources(inputs: StackResourceInput[]): PolicyResource[] {
    const byUrn = new Map<string, PolicyResource>();
    const resources = inputs.map(i => {
        const props = unknownCheckingProxy(structuredClone(i.props));
        const r: PolicyResource = {
            type: i.type,
            props,
            urn: i.urn,
            name: i.name,
            opts: options(i.parentUrn),
            dependencies: [],
            propertyDependencies: {},
            isType: isTypeOf(i.type),
            asType: ((cls: any) => (isTypeOf(i.type)(cls) ? props : undefined)) as PolicyResource["asType"],
        };
        byUrn.set(i.urn, r);
        return r;
    });
    inputs.forEach((i, n) => {
        const parent = i.parentUrn ? byUrn.get(i.parentUrn) : undefined;
        if (parent) resources[n].parent = parent;
    });
    return resources;
}

/** Runs one stack policy on a stack; returns its violations at the policy's effective level. */
export async function validateStack(policy: StackValidationPolicy, inputs: StackResourceInput[], config: PackConfig = {}): Promise<Violation[]> {
    const level = enforcementLevelOf(policy, config);
    if (level === "disabled") return [];
    const out: Violation[] = [];
    const args: StackValidationArgs = {
        resources: policyResources(inputs),
        stackTags: new Map(),
        getConfig: <T extends object>() => configOf(policy, config) as T,
        notApplicable: (reason?: string): never => {
            throw new NotApplicable(reason);
        },
    };
    try {
        await Promise.resolve(policy.validateStack(args, (message, urn) => out.push({ policy: policy.name, level, message, urn })));
    } catch (e) {
        if (e instanceof NotApplicable) return out;
        if (e instanceof UnknownValueError) {
            return [...out, { policy: policy.name, level: "advisory", message: `can't run policy '${policy.name}' during preview: ${(e as Error).message}` }];
        }
        throw e;
    }
    return out;
}

/** A resource of target/render/<stack>/resources.json. */
export interface RenderedResource {
    type: string;
    name: string;
    /** "<type>::<name>" of the parent, or null for children of the root stack. */
    parent: string | null;
    inputs: Record<string, any>;
}

/**
 * The stack as the engine would hand it to the pack: every rendered resource with its URN (parent
 * type chain included, as Pulumi builds URNs) plus the root pulumi:pulumi:Stack resource that the
 * render leaves out and that parents the top-level resources.
 */
export function stackFromRender(stack: string, project: string, rendered: RenderedResource[]): StackResourceInput[] {
    const byKey = new Map(rendered.map(r => [`${r.type}::${r.name}`, r]));
    const qualified = new Map<string, string>();
    const qualify = (r: RenderedResource, seen: Set<string> = new Set()): string => {
        const key = `${r.type}::${r.name}`;
        const cached = qualified.get(key);
        if (cached) return cached;
        if (seen.has(key)) throw new Error(`parent cycle at ${key}`);
        seen.add(key);
        let q = r.type;
        if (r.parent) {
            const parent = byKey.get(r.parent);
            if (!parent) throw new Error(`${key}: parent ${r.parent} is not in the render`);
            q = `${qualify(parent, seen)}$${r.type}`;
        }
        qualified.set(key, q);
        return q;
    };
    const root: StackResourceInput = {
        type: "pulumi:pulumi:Stack",
        name: `${project}-${stack}`,
        props: {},
        urn: urnOf(stack, project, "pulumi:pulumi:Stack", `${project}-${stack}`),
    };
    const urnOfRendered = (r: RenderedResource) => urnOf(stack, project, qualify(r), r.name);
    return [
        root,
        ...rendered.map(r => ({
            type: r.type,
            name: r.name,
            props: r.inputs ?? {},
            urn: urnOfRendered(r),
            parentUrn: r.parent ? urnOfRendered(byKey.get(r.parent)!) : root.urn,
        })),
    ];
}

/** Runs the whole pack over a stack: every resource policy on every resource, then every stack policy. */
export async function runPack(policies: AnyPolicy[], resources: StackResourceInput[], config: PackConfig = {}): Promise<Violation[]> {
    checkPackConfig(policies, config);
    const out: Violation[] = [];
    for (const r of resources) {
        for (const p of policies) {
            if (!isStackPolicy(p)) {
                out.push(...(await validateResource(p, { ...r }, config)));
            }
        }
    }
    for (const p of policies) {
        if (isStackPolicy(p)) {
            out.push(...(await validateStack(p, resources, config)));
        }
    }
    return out;
}
