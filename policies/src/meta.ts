import type {
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationPolicy,
} from "@pulumi/policy";
import { podTemplate, PodTemplate, Props } from "./util";

/**
 * What the README's policy table says about a policy besides its code: why it has its enforcement
 * level, and the public rule it follows. Kept next to the policy; stripped before the PolicyPack
 * sees it (the pack only takes the SDK's own fields).
 */
export interface PolicyDoc {
    /** One line: why this enforcement level (what a violation costs). */
    why: string;
    /** The rule it follows, e.g. "PSS baseline: Host Ports". */
    anchor: string;
}

export type DocumentedResourcePolicy = ResourceValidationPolicy & PolicyDoc;
export type DocumentedStackPolicy = StackValidationPolicy & PolicyDoc;
export type DocumentedPolicy = DocumentedResourcePolicy | DocumentedStackPolicy;

export function isStackPolicy(p: ResourceValidationPolicy | StackValidationPolicy): p is StackValidationPolicy {
    return typeof (p as StackValidationPolicy).validateStack === "function";
}

/** The policy as the SDK wants it: every field but `why` and `anchor`. */
export function sdkPolicy<P extends DocumentedPolicy>(p: P): Omit<P, "why" | "anchor"> {
    const { why: _why, anchor: _anchor, ...rest } = p;
    return rest;
}

/** The defaults of a config schema: what the engine passes to getConfig() when no config is given. */
export function schemaDefaults(schema: PolicyConfigSchema | undefined): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(schema?.properties ?? {})) {
        if (v.default !== undefined) {
            out[k] = structuredClone(v.default);
        }
    }
    return out;
}

export type PodCheck = (pod: PodTemplate, args: ResourceValidationArgs, report: ReportViolation) => void;

/** A validateResource that runs `check` on every resource that carries a pod template, and skips the rest. */
export function forPods(check: PodCheck): (args: ResourceValidationArgs, report: ReportViolation) => void {
    return (args, report) => {
        const pod = podTemplate(args.type, args.props as Props);
        if (pod) {
            check(pod, args, report);
        }
    };
}
