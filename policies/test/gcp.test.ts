import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as gcp from "../src/policies/gcp";
import { messages, nodeRoleMember, T, variant } from "./fixtures";

const member = (edit: (o: any) => void) => variant(nodeRoleMember, edit);
const fix = "grant a predefined or custom role with only the permissions needed";

describe(gcp.iamNoPrimitiveRoles.name, () => {
    it("recognises the provider's IAM member, binding and policy types, and nothing else", () => {
        assert.equal(gcp.iamKind("gcp:projects/iAMMember:IAMMember"), "Member");
        assert.equal(gcp.iamKind("gcp:serviceaccount/iAMBinding:IAMBinding"), "Binding");
        assert.equal(gcp.iamKind("gcp:storage/bucketIAMPolicy:BucketIAMPolicy"), "Policy");
        assert.equal(gcp.iamKind("gcp:organizations/iAMMember:IAMMember"), "Member");
        assert.equal(gcp.iamKind("gcp:projects/iAMCustomRole:IAMCustomRole"), undefined);
        assert.equal(gcp.iamKind("gcp:projects/iAMAuditConfig:IAMAuditConfig"), undefined);
        assert.equal(gcp.iamKind("gcp:serviceaccount/account:Account"), undefined);
    });
    it("accepts the node service account's predefined role (what the render grants)", async () => {
        assert.deepEqual(await messages(gcp.iamNoPrimitiveRoles, T.projectIamMember, nodeRoleMember), []);
    });
    it("rejects roles/editor, roles/owner and roles/viewer on an IAMMember", async () => {
        for (const role of gcp.PRIMITIVE_ROLES) {
            assert.deepEqual(await messages(gcp.iamNoPrimitiveRoles, T.projectIamMember, member(o => (o.role = role))), [
                `role "${role}" is a basic role, granted to "serviceAccount:demo-cluster-nodes@my-project.iam.gserviceaccount.com"; ${fix}`,
            ]);
        }
    });
    it("rejects a basic role on an IAMBinding and on a service account's IAM member", async () => {
        const binding = { project: "my-project", role: "roles/owner", members: ["user:alice@example.com", "group:ops@example.com"] };
        assert.deepEqual(await messages(gcp.iamNoPrimitiveRoles, T.projectIamBinding, binding), [
            `role "roles/owner" is a basic role, granted to ["user:alice@example.com","group:ops@example.com"]; ${fix}`,
        ]);
        const saMember = { serviceAccountId: "projects/p/serviceAccounts/x@p.iam.gserviceaccount.com", role: "roles/editor", member: "user:bob@example.com" };
        assert.deepEqual(await messages(gcp.iamNoPrimitiveRoles, T.serviceAccountIamMember, saMember), [`role "roles/editor" is a basic role, granted to "user:bob@example.com"; ${fix}`]);
    });
    it("reads an IAMPolicy's policyData, as a JSON string or an object", async () => {
        const policyData = {
            bindings: [
                { role: "roles/container.defaultNodeServiceAccount", members: ["serviceAccount:n@p.iam.gserviceaccount.com"] },
                { role: "roles/viewer", members: ["domain:example.com"] },
            ],
        };
        const expected = [`policyData bindings[1] role "roles/viewer" is a basic role, granted to ["domain:example.com"]; ${fix}`];
        assert.deepEqual(await messages(gcp.iamNoPrimitiveRoles, T.projectIamPolicy, { project: "p", policyData: JSON.stringify(policyData) }), expected);
        assert.deepEqual(await messages(gcp.iamNoPrimitiveRoles, T.projectIamPolicy, { project: "p", policyData }), expected);
        assert.deepEqual(await messages(gcp.iamNoPrimitiveRoles, T.projectIamPolicy, { project: "p", policyData: "{" }), [
            "policyData is not JSON, so its bindings can't be checked for basic roles",
        ]);
    });
    it("ignores other resources that carry a role", async () => {
        assert.deepEqual(await messages(gcp.iamNoPrimitiveRoles, "gcp:projects/iAMCustomRole:IAMCustomRole", { role: "roles/owner" }), []);
        assert.deepEqual(await messages(gcp.iamNoPrimitiveRoles, T.configMap, { metadata: { name: "c" }, role: "roles/owner" }), []);
    });
});
