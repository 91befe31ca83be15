// Resource policies on Google Cloud IAM: every IAM member, binding and policy resource of the gcp
// provider (gcp:projects/iAMMember:IAMMember, gcp:serviceaccount/iAMBinding:IAMBinding,
// gcp:storage/bucketIAMPolicy:BucketIAMPolicy, ...), matched on the type token's name.

import type { DocumentedResourcePolicy } from "../meta";
import { Props, show } from "../util";

/** The basic (formerly "primitive") roles. */
export const PRIMITIVE_ROLES = ["roles/owner", "roles/editor", "roles/viewer"];

/** gcp:<module>/<x>IAMMember:<X>IAMMember, ...IAMBinding, ...IAMPolicy (not IAMCustomRole, IAMAuditConfig, IamMemberRemove). */
const IAM_TYPE = /^gcp:[A-Za-z0-9]+\/[A-Za-z0-9]*:[A-Za-z0-9]*IAM(Member|Binding|Policy)$/;

export function iamKind(type: string): "Member" | "Binding" | "Policy" | undefined {
    return IAM_TYPE.exec(type)?.[1] as "Member" | "Binding" | "Policy" | undefined;
}

const isPrimitive = (role: unknown) => typeof role === "string" && PRIMITIVE_ROLES.includes(role.trim().toLowerCase());

export const iamNoPrimitiveRoles: DocumentedResourcePolicy = {
    name: "gcp-iam-no-primitive-roles",
    description: "No IAM member, binding or policy the program declares grants a basic (primitive) role: roles/owner, roles/editor or roles/viewer (policyData bindings included).",
    enforcementLevel: "mandatory",
    severity: "critical",
    why: "Basic roles carry thousands of permissions across every service of the project: the node service account with roles/editor turns any pod that reaches node credentials into a project editor. Grant predefined or custom roles.",
    anchor: "CIS GCP Foundations 1.5; CIS GKE 5.2.1; Google Cloud IAM: basic roles; GKE hardening guide: least-privilege service accounts",
    url: "https://cloud.google.com/iam/docs/roles-overview#basic",
    validateResource: (args, report) => {
        const kind = iamKind(args.type);
        const p = args.props;
        if (kind === "Member") {
            if (isPrimitive(p.role)) report(`role ${show(p.role)} is a basic role, granted to ${show(p.member)}; grant a predefined or custom role with only the permissions needed`);
        } else if (kind === "Binding") {
            if (isPrimitive(p.role)) report(`role ${show(p.role)} is a basic role, granted to ${show(p.members)}; grant a predefined or custom role with only the permissions needed`);
        } else if (kind === "Policy") {
            let policy: Props | undefined;
            if (typeof p.policyData === "string") {
                try {
                    policy = JSON.parse(p.policyData);
                } catch {
                    report(`policyData is not JSON, so its bindings can't be checked for basic roles`);
                    return;
                }
            } else if (p.policyData && typeof p.policyData === "object") {
                policy = p.policyData;
            }
            (Array.isArray(policy?.bindings) ? policy!.bindings : []).forEach((b: Props, i: number) => {
                if (isPrimitive(b?.role)) report(`policyData bindings[${i}] role ${show(b.role)} is a basic role, granted to ${show(b.members)}; grant a predefined or custom role with only the permissions needed`);
            });
        }
    },
};

export const gcpPolicies: DocumentedResourcePolicy[] = [iamNoPrimitiveRoles];
