// The whole pack: every policy, in README order, and the PolicyPack arguments built from them.
// index.ts constructs the PolicyPack from this; tests and the conformance run import this module
// (never index.ts, whose PolicyPack constructor starts the gRPC server the Pulumi CLI talks to).

import type { EnforcementLevel, PolicyPackArgs } from "@pulumi/policy";
import { DocumentedPolicy, sdkPolicy } from "./meta";
import { gcpPolicies } from "./policies/gcp";
import { gkePolicies } from "./policies/gke";
import { kubernetesPolicies } from "./policies/kubernetes";
import { stackPolicies } from "./policies/stack";
import { PRODUCTION_ONLY_POLICIES } from "./shared";

export const PACK_NAME = "memcached-gke";

export const allPolicies: DocumentedPolicy[] = [...kubernetesPolicies, ...stackPolicies, ...gkePolicies, ...gcpPolicies];

/**
 * Rules only production must keep, from the source the program shares (shared/guards.json): at production's level
 * in their code default (a preview without pack config is as strict as production), relaxed one step by
 * config/development.json (test/stacks.test.ts checks the files agree).
 */
export const PRODUCTION_ONLY: readonly string[] = PRODUCTION_ONLY_POLICIES;

/**
 * The level config/development.json gives a production-only rule of code level `level`: a mandatory
 * rule still advises there (the lab's deviations stay visible), an advisory one is disabled (a warning
 * every development preview would print is noise).
 */
export function developmentLevel(level: EnforcementLevel | undefined): EnforcementLevel {
    return level === "mandatory" ? "advisory" : "disabled";
}

export const packArgs: PolicyPackArgs = {
    description: "Guardrails for memcached-gke: Pod Security Standards, cache-tier availability, CIS GKE hardening and least-privilege IAM.",
    // Every policy states its own level; anything new without one is only advisory.
    enforcementLevel: "advisory",
    policies: allPolicies.map(sdkPolicy),
};
