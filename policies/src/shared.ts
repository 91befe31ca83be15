// The rules the pack and the program both hold, from their one source: shared/guards.json (the program reads the
// same file from its classpath: io.memcachedgke.config.SharedRules). What a production guard requires of a setting
// there, the pack requires of what that setting deploys: the policy the guard names.

import * as fs from "fs";
import * as path from "path";

export interface Guard {
    /** The setting the program refuses in production when it breaks the guard, e.g. cluster.privateNodes. */
    setting: string;
    check: string;
    value?: string;
    problem: string;
    /** The pack policy that refuses the deployed object that breaks it. */
    policy: string;
}

interface Shared {
    defaultEnvironment: string;
    pinnedImage: { pattern: string; text: string; policy: string };
    openCidrPrefixLength: number;
    regionPattern: string;
    production: Guard[];
    productionOnlyPolicies: string[];
}

/** shared/guards.json, beside src/ (ts-node runs index.ts in place) or two levels up from bin/src/ (compiled). */
function load(): Shared {
    const candidates = [path.resolve(__dirname, "..", "shared", "guards.json"), path.resolve(__dirname, "..", "..", "shared", "guards.json")];
    const file = candidates.find(f => fs.existsSync(f));
    if (!file) throw new Error(`shared/guards.json not found (looked at ${candidates.join(", ")})`);
    return JSON.parse(fs.readFileSync(file, "utf8")) as Shared;
}

const SHARED = load();

/** The environment of a stack that sets none (the program's own default). */
export const DEFAULT_ENVIRONMENT = SHARED.defaultEnvironment;
/** An image reference pinned to a tag other than latest or to a digest: the program's pattern, whole-string. */
export const PINNED_IMAGE = new RegExp(`^(?:${SHARED.pinnedImage.pattern})$`);
export const PINNED_IMAGE_TEXT = SHARED.pinnedImage.text;
/** A CIDR block whose prefix is at most this long admits (nearly) every address. */
export const OPEN_CIDR_PREFIX_LENGTH = SHARED.openCidrPrefixLength;
/** A GCP region (a regional cluster's location), not a zone. */
export const REGION = new RegExp(`^(?:${SHARED.regionPattern})$`);
export const PRODUCTION_GUARDS: readonly Guard[] = SHARED.production;
/** The policies only production must keep: the guards' and the advisory own-registry rule. */
export const PRODUCTION_ONLY_POLICIES: readonly string[] = SHARED.productionOnlyPolicies;
