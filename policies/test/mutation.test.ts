// The mutation test: every mistake of test/mutations.ts, applied to a deep copy of the dev or prod
// render, run through the whole pack under that stack's own pack configuration (config/<env>.json,
// resolved as the conformance run resolves it). A mutation is killed when it draws at least one
// mandatory violation the unmutated render doesn't have.
//
// Renders: $RENDER_DIR/<stack>/resources.json, default ../target/render (the Java build renders every
// stack there before `npm test`). Against the checked-in copies:
//   RENDER_DIR=../src/test/resources/golden npm run test:unit

import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import { RenderedResource, runPack, stackFromRender, Violation } from "../src/engine";
import { allPolicies } from "../src/pack";
import { packConfigFor, PROJECT_DIR, projectName } from "../src/stacks";
import { Mutation, MUTATIONS, Stack, TargetNotFound } from "./mutations";

export const RENDER_DIR = process.env.RENDER_DIR ? path.resolve(process.env.RENDER_DIR) : path.join(PROJECT_DIR, "target", "render");
const STACKS: Stack[] = ["dev", "prod"];
/** The share of mutations the pack must kill. */
const MIN_KILL_RATIO = 0.95;

interface Outcome {
    mutation: Mutation;
    stack: Stack;
    /** Why it could not be applied (target not found, or it changed nothing). */
    notApplied?: string;
    /** The policies of the new mandatory violations; empty when it survived. */
    killedBy: string[];
    firstNew?: Violation;
}

const key = (v: Violation) => `${v.policy}\u0000${v.urn ?? ""}\u0000${v.message}`;

function loadRender(stack: Stack): RenderedResource[] {
    const file = path.join(RENDER_DIR, stack, "resources.json");
    if (!fs.existsSync(file)) {
        throw new Error(`render of ${stack} missing: ${file} (run the Java build's render first, or point RENDER_DIR at ../src/test/resources/golden)`);
    }
    return JSON.parse(fs.readFileSync(file, "utf8"));
}

async function mandatory(stack: Stack, rendered: RenderedResource[]): Promise<Violation[]> {
    const { config } = packConfigFor(stack);
    const vs = await runPack(allPolicies, stackFromRender(stack, projectName(), rendered), config);
    return vs.filter(v => v.level === "mandatory");
}

describe(`mutation test (renders in ${path.relative(process.cwd(), RENDER_DIR) || "."})`, () => {
    const baseline = new Map<Stack, { rendered: RenderedResource[]; violations: Violation[] }>();
    const outcomes: Outcome[] = [];

    before(async () => {
        for (const stack of STACKS) {
            const rendered = loadRender(stack);
            baseline.set(stack, { rendered, violations: await mandatory(stack, rendered) });
        }
        for (const mutation of MUTATIONS) {
            for (const stack of mutation.stacks) {
                const base = baseline.get(stack)!;
                const copy = structuredClone(base.rendered);
                try {
                    mutation.apply(copy);
                } catch (e) {
                    if (!(e instanceof TargetNotFound)) throw e;
                    outcomes.push({ mutation, stack, killedBy: [], notApplied: `mutation ${mutation.name}: target not found (${e.message})` });
                    continue;
                }
                if (JSON.stringify(copy) === JSON.stringify(base.rendered)) {
                    outcomes.push({ mutation, stack, killedBy: [], notApplied: `mutation ${mutation.name}: changed nothing` });
                    continue;
                }
                const known = new Set(base.violations.map(key));
                const fresh = (await mandatory(stack, copy)).filter(v => !known.has(key(v)));
                outcomes.push({ mutation, stack, killedBy: [...new Set(fresh.map(v => v.policy))], firstNew: fresh[0] });
            }
        }
        const killed = outcomes.filter(o => o.killedBy.length > 0);
        const width = Math.max(...outcomes.map(o => o.mutation.name.length));
        const lines = [
            "",
            `mutation test: ${outcomes.length} mutations (${MUTATIONS.length} mistakes x their stacks), ${killed.length} killed, ${outcomes.length - killed.length} survived ` +
                `(${((100 * killed.length) / outcomes.length).toFixed(1)}%); renders in ${RENDER_DIR}`,
            ...outcomes.map(
                o => `  ${o.stack.padEnd(4)} ${o.mutation.name.padEnd(width)}  ${o.notApplied ? "NOT APPLIED" : o.killedBy.length > 0 ? "killed  " : "SURVIVED"}  ${o.notApplied ?? o.killedBy.join(", ")}`,
            ),
            "survivors:",
            ...outcomes
                .filter(o => o.killedBy.length === 0)
                .map(o => `  ${o.stack} ${o.mutation.name}: ${o.notApplied ?? o.mutation.survives ?? "NO REASON GIVEN (add one to test/mutations.ts, or a policy that kills it)"}`),
            "",
        ];
        if (outcomes.every(o => o.killedBy.length > 0)) lines.splice(lines.length - 1, 0, "  (none)");
        console.log(lines.join("\n"));
    });

    it("the unmutated dev and prod renders have no mandatory violation under their own pack config", () => {
        for (const stack of STACKS) {
            assert.deepEqual(baseline.get(stack)!.violations.map(v => `${v.policy}: ${v.message}`), [], stack);
        }
    });
    it("has at least 40 mutations, uniquely named", () => {
        assert.ok(outcomes.length >= 40, `${outcomes.length} mutations`);
        assert.equal(new Set(MUTATIONS.map(m => m.name)).size, MUTATIONS.length);
    });
    it("applies every mutation: each finds its target and changes the render", () => {
        assert.deepEqual(outcomes.filter(o => o.notApplied).map(o => `[${o.stack}] ${o.notApplied}`), []);
    });
    it("lets through only the mistakes documented as survivors (with why), and kills every other", () => {
        const applied = outcomes.filter(o => !o.notApplied);
        assert.deepEqual(applied.filter(o => o.killedBy.length === 0 && !o.mutation.survives).map(o => `[${o.stack}] ${o.mutation.name}`), [], "survivors without a reason");
        assert.deepEqual(
            applied.filter(o => o.killedBy.length > 0 && o.mutation.survives).map(o => `[${o.stack}] ${o.mutation.name} (killed by ${o.killedBy.join(", ")})`),
            [],
            "documented survivors that are killed after all: drop their reason",
        );
    });
    it(`kills at least ${MIN_KILL_RATIO * 100}% of the mutations with a new mandatory violation`, () => {
        const killed = outcomes.filter(o => o.killedBy.length > 0).length;
        const survivors = outcomes.filter(o => o.killedBy.length === 0).map(o => `[${o.stack}] ${o.mutation.name}`);
        assert.ok(killed / outcomes.length >= MIN_KILL_RATIO, `${killed}/${outcomes.length} killed; survivors:\n${survivors.join("\n")}`);
    });
});
