// The rules the pack shares with the program (shared/guards.json), on the cases both layers run (shared/cases.json):
// every image the program's rule calls pinned, k8s-image-tag-pinned lets through, and every other it refuses.
import { strict as assert } from "node:assert";
import * as fs from "fs";
import * as path from "path";
import { describe, it } from "node:test";
import { imageTagPinned } from "../src/policies/kubernetes";
import { PINNED_IMAGE, PRODUCTION_GUARDS, PRODUCTION_ONLY_POLICIES } from "../src/shared";
import { allPolicies } from "../src/pack";
import { messages, T } from "./fixtures";

const CASES = JSON.parse(fs.readFileSync(path.resolve(__dirname, "..", "..", "shared", "cases.json"), "utf8"));

const pod = (image: string) => ({
    metadata: { name: "p", namespace: "default" },
    spec: { containers: [{ name: "c", image }] },
});

describe("the images both layers check (shared/cases.json)", () => {
    for (const c of CASES.images as { image: string; pinned: boolean }[]) {
        it(`${JSON.stringify(c.image)} is ${c.pinned ? "" : "not "}pinned`, async () => {
            assert.equal(PINNED_IMAGE.test(c.image), c.pinned);
            const found = await messages(imageTagPinned, T.pod, pod(c.image));
            assert.equal(found.length === 0, c.pinned, found.join("; "));
        });
    }
});

describe("the production guards (shared/guards.json)", () => {
    it("each names a policy of the pack that only production must keep", () => {
        const names = new Set(allPolicies.map(p => p.name));
        for (const g of PRODUCTION_GUARDS) {
            assert.ok(names.has(g.policy), `${g.setting}: no policy ${g.policy}`);
            assert.ok(PRODUCTION_ONLY_POLICIES.includes(g.policy), `${g.policy} is not production-only`);
        }
    });
    it("each case names only guarded policies, and every guarded policy has a case", () => {
        const guarded = new Set(PRODUCTION_GUARDS.map(g => g.policy));
        const cased = new Set<string>();
        for (const c of CASES.production as { policies: string[] }[]) c.policies.forEach(p => cased.add(p));
        for (const p of guarded) assert.ok(cased.has(p), `no case for ${p}`);
    });
});
