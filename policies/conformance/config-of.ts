// Prints the pack configuration file a stack is checked under, the same resolution as the
// conformance run (src/stacks.ts): config/<stack>.json if it exists, else config/<environment>.json.
// For a workflow's `policyPackConfigs` or `pulumi preview --policy-pack-config`:
//
//   node policies/bin/conformance/config-of.js prod      ->  policies/config/production.json
//
// The path is relative to the current directory. Exit status 1 (with the reason) when none resolves.

import * as path from "path";
import { packConfigFor } from "../src/stacks";

const stacks = process.argv.slice(2);
if (stacks.length !== 1) {
    console.error("usage: node bin/conformance/config-of.js <stack>");
    process.exit(2);
}
try {
    console.log(path.relative(process.cwd(), packConfigFor(stacks[0]).file));
} catch (e: any) {
    console.error(e?.message ?? e);
    process.exit(1);
}
