// End to end against the real policy server: runs the compiled index.js in a child process (exactly
// what `pulumi preview --policy-pack` starts), and talks to it over gRPC with the SDK's own analyzer
// stubs, as the Pulumi engine does. It proves the pack loads, publishes every policy with its level,
// and reports the same violations as the offline engine emulation (src/engine.ts) the other tests use.

import assert from "node:assert/strict";
import { ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { allPolicies } from "../src/pack";
import { mcrouterDaemonSet, memcachedPdb, memcachedStatefulSet, T, variant } from "./fixtures";

// The stubs, grpc and protobuf exactly as @pulumi/pulumi loads them (same module instances).
const stubPath = require.resolve("@pulumi/pulumi/proto/analyzer_grpc_pb");
const fromStubs = createRequire(stubPath);
const services = require(stubPath);
const pb = require("@pulumi/pulumi/proto/analyzer_pb");
const grpc = fromStubs("@grpc/grpc-js");
const { Empty } = fromStubs("google-protobuf/google/protobuf/empty_pb.js");
const { Struct } = fromStubs("google-protobuf/google/protobuf/struct_pb.js");

const INDEX = path.resolve(__dirname, "..", "index.js");
const LEVEL = ["advisory", "mandatory", "disabled", "remediate"];

let server: ChildProcess;
let client: any;

function call<T>(method: string, request: unknown): Promise<T> {
    return new Promise((resolve, reject) => client[method](request, (err: Error | null, res: T) => (err ? reject(err) : resolve(res))));
}

/** "level policy: message" of each diagnostic; the server prefixes each message with the policy's description and a newline. */
function diagnostics(res: any): string[] {
    return res.getDiagnosticsList().map((d: any) => {
        const description = allPolicies.find(p => p.name === d.getPolicyname())?.description;
        const prefix = `${description}\n`;
        assert.ok(d.getMessage().startsWith(prefix), `message of ${d.getPolicyname()} starts with its description: ${d.getMessage()}`);
        return `${LEVEL[d.getEnforcementlevel()]} ${d.getPolicyname()}: ${d.getMessage().slice(prefix.length)}`;
    });
}

function analyzeRequest(type: string, name: string, props: object) {
    const req = new pb.AnalyzeRequest();
    req.setType(type);
    req.setName(name);
    req.setUrn(`urn:pulumi:dev::memcached-gke::${type}::${name}`);
    req.setProperties(Struct.fromJavaScript(props));
    req.setOptions(new pb.AnalyzerResourceOptions());
    return req;
}

describe("the policy pack served over gRPC (what the Pulumi CLI talks to)", () => {
    before(async () => {
        server = spawn(process.execPath, [INDEX], { cwd: path.resolve(__dirname, "..", ".."), stdio: ["ignore", "pipe", "pipe"] });
        const port = await new Promise<number>((resolve, reject) => {
            let out = "";
            let errOut = "";
            server.stdout!.on("data", chunk => {
                out += chunk;
                const m = /^(\d+)\s*$/m.exec(out);
                if (m) resolve(Number(m[1]));
            });
            server.stderr!.on("data", chunk => (errOut += chunk));
            server.on("exit", code => reject(new Error(`policy pack exited (${code}): ${errOut}`)));
            setTimeout(() => reject(new Error(`policy pack printed no port in 30s: ${out} ${errOut}`)), 30_000).unref();
        });
        client = new services.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    });

    after(() => {
        client?.close();
        if (server && server.exitCode === null) server.kill();
    });

    it("publishes every policy with its enforcement level", async () => {
        const info: any = await call("getAnalyzerInfo", new Empty());
        assert.equal(info.getName(), "memcached-gke");
        const published = info.getPoliciesList().map((p: any) => `${p.getName()} ${LEVEL[p.getEnforcementlevel()]}`);
        assert.deepEqual(published, allPolicies.map(p => `${p.name} ${p.enforcementLevel}`));
    });

    it("with no config is strict: hostPort 5000 is on the known list but breaks the production rule; 6000 breaks both", async () => {
        assert.deepEqual(diagnostics(await call("analyze", analyzeRequest(T.daemonSet, "mcrouter", mcrouterDaemonSet))), []);
        const hostPort = (port: number) => variant(mcrouterDaemonSet, o => (o.spec.template.spec.containers[0].ports[0].hostPort = port));
        assert.deepEqual(diagnostics(await call("analyze", analyzeRequest(T.daemonSet, "mcrouter", hostPort(5000)))), [
            'mandatory k8s-no-host-ports: container "mcrouter" uses hostPort 5000; production pods take no host ports (reach them through a Service)',
        ]);
        assert.deepEqual(diagnostics(await call("analyze", analyzeRequest(T.daemonSet, "mcrouter", hostPort(6000)))), [
            'mandatory k8s-host-ports-known-list: container "mcrouter" uses hostPort 6000, which is not in allowedHostPorts [5000]',
            'mandatory k8s-no-host-ports: container "mcrouter" uses hostPort 6000; production pods take no host ports (reach them through a Service)',
        ]);
    });

    it("runs stack policies over the resources of analyzeStack", async () => {
        const req = new pb.AnalyzeStackRequest();
        const resources = [
            [T.statefulSet, "mycache-memcached", memcachedStatefulSet],
            [T.pdb, "mycache-memcached-pdb", variant(memcachedPdb, o => (o.spec.maxUnavailable = 0))],
        ].map(([type, name, props]) => {
            const r = new pb.AnalyzerResource();
            r.setType(type);
            r.setName(name);
            r.setUrn(`urn:pulumi:dev::memcached-gke::${type}::${name}`);
            r.setProperties(Struct.fromJavaScript(props));
            r.setOptions(new pb.AnalyzerResourceOptions());
            return r;
        });
        req.setResourcesList(resources);
        const found = diagnostics(await call("analyzeStack", req));
        assert.ok(found.includes("mandatory k8s-pdb-allows-disruption: PodDisruptionBudget default/mycache-memcached: maxUnavailable 0 allows no voluntary disruption; node drains and GKE upgrades would stall"), found.join("\n"));
        assert.ok(found.includes('mandatory k8s-statefulset-headless-service: StatefulSet default/mycache-memcached: spec.serviceName "mycache-memcached" names no Service in namespace "default"'), found.join("\n"));
    });

    it("honours pack config sent with configure: an allowed port and downgraded policies (as config/development.json downgrades k8s-no-host-ports)", async () => {
        const req = new pb.ConfigureAnalyzerRequest();
        const hostPorts = new pb.PolicyConfig();
        hostPorts.setEnforcementlevel(pb.EnforcementLevel.MANDATORY);
        hostPorts.setProperties(Struct.fromJavaScript({ allowedHostPorts: [5000, 6000] }));
        const privileged = new pb.PolicyConfig();
        privileged.setEnforcementlevel(pb.EnforcementLevel.ADVISORY);
        privileged.setProperties(Struct.fromJavaScript({}));
        req.getPolicyconfigMap().set("k8s-host-ports-known-list", hostPorts);
        req.getPolicyconfigMap().set("k8s-no-privileged-containers", privileged);
        const noHostPorts = new pb.PolicyConfig();
        noHostPorts.setEnforcementlevel(pb.EnforcementLevel.ADVISORY);
        noHostPorts.setProperties(Struct.fromJavaScript({}));
        req.getPolicyconfigMap().set("k8s-no-host-ports", noHostPorts);
        await call("configure", req);
        const bad = variant(mcrouterDaemonSet, o => {
            o.spec.template.spec.containers[0].ports[0].hostPort = 6000;
            o.spec.template.spec.containers[0].securityContext.privileged = true;
        });
        assert.deepEqual(diagnostics(await call("analyze", analyzeRequest(T.daemonSet, "mcrouter", bad))), [
            'advisory k8s-no-host-ports: container "mcrouter" uses hostPort 6000; production pods take no host ports (reach them through a Service)',
            'advisory k8s-no-privileged-containers: container "mcrouter" sets securityContext.privileged: true',
        ]);
    });
});
