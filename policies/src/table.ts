// The README's policy table, generated from the policies themselves (test/pack.test.ts checks the
// README carries exactly this table; `npm run table` prints it).

import { DocumentedPolicy, isStackPolicy } from "./meta";
import { allPolicies, developmentLevel, PRODUCTION_ONLY } from "./pack";

const kindOf = (p: DocumentedPolicy) =>
    isStackPolicy(p) ? "stack" : p.name.startsWith("gke-") ? "GKE resource" : p.name.startsWith("gcp-") ? "GCP resource" : "Kubernetes resource";

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

export function policyTable(): string {
    const kinds = (k: string) => allPolicies.filter(p => kindOf(p) === k).length;
    const levels = (l: string) => allPolicies.filter(p => p.enforcementLevel === l).length;
    const summary =
        `${allPolicies.length} policies: ${kinds("Kubernetes resource")} Kubernetes resource, ${kinds("GKE resource")} GKE resource, ` +
        `${kinds("GCP resource")} GCP resource, ${kinds("stack")} stack; ${levels("mandatory")} mandatory, ${levels("advisory")} advisory ` +
        `(their code defaults; config/development.json relaxes the ${PRODUCTION_ONLY.length} production-only rules one step: mandatory to advisory, advisory to disabled).`;
    const rows = [
        summary,
        "",
        "| Policy | Level | Severity | Checks | Rule | Why this level | Anchor |",
        "|---|---|---|---|---|---|---|",
    ];
    for (const p of allPolicies) {
        const checks = kindOf(p);
        const anchor = p.url ? `[${cell(p.anchor)}](${p.url})` : cell(p.anchor);
        const level = PRODUCTION_ONLY.includes(p.name) ? `${p.enforcementLevel} (production; ${developmentLevel(p.enforcementLevel)} in development)` : p.enforcementLevel;
        rows.push(`| \`${p.name}\` | ${level} | ${p.severity} | ${checks} | ${cell(p.description)} | ${cell(p.why)} | ${anchor} |`);
    }
    return rows.join("\n") + "\n";
}
