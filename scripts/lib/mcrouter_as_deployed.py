#!/usr/bin/env python3
"""The `docker run` arguments that run an mcrouter image exactly as a stack's DaemonSet runs it.

  mcrouter_as_deployed.py [--tls-dir <dir>] <render dir> <image> <config dir> <node name> <server>...

Reads <render dir>/resources.json (the offline render: ./mvnw -B -q compile exec:java@render -Dstack=<stack>; the
inputs the engine receives, read with the standard library only), finds
the mcrouter DaemonSet's `mcrouter` container and the ConfigMap it mounts, and
  - writes <config dir>/config.json: the stack's config.json with its servers, in order, replaced by <server>...
    (as many as the pool has: the shards of the render are DNS names that only exist in a cluster);
  - prints, one argument a line, what follows `docker run`: the container's user and group (the pod's
    securityContext), a read-only root filesystem and no capabilities when the container's securityContext says so,
    no privilege escalation, the config directory mounted read-only where the ConfigMap is mounted, a tmpfs owned by
    the user for each emptyDir (with its sizeLimit), the --tls-dir directory mounted read-only where a Secret is
    mounted (with mutual TLS, the proxy's client certificate: tls.crt, tls.key and ca.crt, as cert-manager's Secret
    holds them; every file the container's args read under the mount must be in it; the files' own modes apply, not
    the Secret's defaultMode and the pod's fsGroup, so they must be readable by the user), the container's environment
    with NODE_NAME (from spec.nodeName) set to <node name>, then the image, its command and its args with $(VAR)
    expanded as the kubelet expands them.
Exit 1 with one line when the render holds no such DaemonSet, when the container mounts a Secret and no --tls-dir
is given (the line names the flag) or --tls-dir is given and it mounts none; 2 with the usage line on wrong
arguments.

Why: .github/workflows/mcrouter-image.yml proves a freshly built image with the flags, mounts and security context
the program gives it, not with a hand-written command line (mcrouter's --config takes `file:<path>` or the JSON
itself, mcrouter/ConfigApi.cpp; a command line typed twice drifts). Tested offline by McrouterImageCheckTest.
"""
import json
import os
import re
import sys


def fail(message):
    print("mcrouter_as_deployed: " + message, file=sys.stderr)
    sys.exit(1)


def expand(value, env):
    # The kubelet expands $(VAR) from the container's environment and turns $$ into $ (Kubernetes docs, "Define a
    # command and arguments for a container": "Use environment variables to define arguments").
    return re.sub(r"\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)",
                  lambda m: "$" if m.group(0) == "$$" else env.get(m.group(1), m.group(0)), value)


def tmpfs_size(size_limit):
    # Kubernetes quantities (64Mi) to docker's tmpfs sizes (64m): binary suffixes only, as the program writes them.
    units = {"Ki": "k", "Mi": "m", "Gi": "g"}
    m = re.fullmatch(r"(\d+)(Ki|Mi|Gi)", size_limit)
    if not m:
        fail("an emptyDir sizeLimit the check cannot carry over: " + size_limit)
    return m.group(1) + units[m.group(2)]


def main(argv):
    tls_dir = None
    if argv and argv[0].startswith("--tls-dir"):
        if argv[0] == "--tls-dir" and len(argv) > 1:
            tls_dir, argv = argv[1], argv[2:]
        elif argv[0].startswith("--tls-dir="):
            tls_dir, argv = argv[0][len("--tls-dir="):], argv[1:]
        if not tls_dir:
            argv = []
    if len(argv) < 5 or argv[0].startswith("--"):
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    render, image, config_dir, node = argv[0], argv[1], argv[2], argv[3]
    servers = argv[4:]
    with open(os.path.join(render, "resources.json")) as f:
        docs = [r["inputs"] for r in json.load(f) if r["type"].startswith("kubernetes:") and "kind" in r["inputs"]]
    daemonsets = [d for d in docs if d["kind"] == "DaemonSet"
                  and any(c["name"] == "mcrouter" for c in d["spec"]["template"]["spec"]["containers"])]
    if len(daemonsets) != 1:
        fail("%s/resources.json holds %d mcrouter DaemonSets, not one" % (render, len(daemonsets)))
    pod = daemonsets[0]["spec"]["template"]["spec"]
    container = next(c for c in pod["containers"] if c["name"] == "mcrouter")
    volumes = {v["name"]: v for v in pod.get("volumes", [])}
    pod_security = pod.get("securityContext", {})
    security = container.get("securityContext", {})

    args = []
    user = security.get("runAsUser", pod_security.get("runAsUser"))
    group = security.get("runAsGroup", pod_security.get("runAsGroup"))
    if user is not None:
        args += ["--user", "%s:%s" % (user, group if group is not None else user)]
    if security.get("readOnlyRootFilesystem"):
        args.append("--read-only")
    for cap in security.get("capabilities", {}).get("drop", []):
        args += ["--cap-drop", cap]
    if security.get("allowPrivilegeEscalation") is False:
        args += ["--security-opt", "no-new-privileges"]

    env = {}
    for e in container.get("env", []):
        if "value" in e:
            env[e["name"]] = e["value"]
        elif e.get("valueFrom", {}).get("fieldRef", {}).get("fieldPath") == "spec.nodeName":
            env[e["name"]] = node
        else:
            fail("an environment variable the check cannot carry over: " + json.dumps(e))

    config_written = False
    secret_mounted = False
    for mount in container.get("volumeMounts", []):
        volume = volumes[mount["name"]]
        if "configMap" in volume:
            cm_name = volume["configMap"]["name"]
            cms = [d for d in docs if d["kind"] == "ConfigMap" and d["metadata"]["name"] == cm_name]
            if len(cms) != 1:
                fail("the render holds no ConfigMap " + cm_name)
            config = json.loads(cms[0]["data"]["config.json"])
            pools = config.get("pools", {})
            if len(pools) != 1:
                fail("the check runs a plain layout (one pool), but the render has %d pools" % len(pools))
            pool = next(iter(pools.values()))
            if len(servers) != len(pool["servers"]):
                fail("the pool has %d servers, but %d were given" % (len(pool["servers"]), len(servers)))
            pool["servers"] = servers
            os.makedirs(config_dir, exist_ok=True)
            with open(os.path.join(config_dir, "config.json"), "w") as f:
                f.write(json.dumps(config, indent=2) + "\n")
            args += ["--volume", "%s:%s:ro" % (os.path.abspath(config_dir), mount["mountPath"])]
            config_written = True
        elif "emptyDir" in volume:
            options = ["uid=%s" % user, "gid=%s" % (group if group is not None else user)] if user is not None else []
            if "sizeLimit" in volume["emptyDir"]:
                options.append("size=" + tmpfs_size(volume["emptyDir"]["sizeLimit"]))
            args += ["--tmpfs", mount["mountPath"] + (":" + ",".join(options) if options else "")]
        elif "secret" in volume:
            secret = volume["secret"]
            if "items" in secret:
                fail("a Secret volume with items the check cannot carry over: " + json.dumps(volume))
            if tls_dir is None:
                fail("the mcrouter container mounts Secret %s at %s: pass --tls-dir <dir> with its files "
                     "(tls.crt, tls.key, ca.crt)" % (secret.get("secretName"), mount["mountPath"]))
            prefix = mount["mountPath"].rstrip("/") + "/"
            for arg in container.get("args", []):
                path = arg.split("=", 1)[-1]
                if path.startswith(prefix) and not os.path.isfile(os.path.join(tls_dir, path[len(prefix):])):
                    fail("the mcrouter container reads %s, but --tls-dir %s has no %s"
                         % (path, tls_dir, path[len(prefix):]))
            args += ["--volume", "%s:%s:ro" % (os.path.abspath(tls_dir), mount["mountPath"])]
            secret_mounted = True
        else:
            fail("a volume the check cannot carry over: " + json.dumps(volume))
    if not config_written:
        fail("the mcrouter container mounts no ConfigMap")
    if tls_dir is not None and not secret_mounted:
        fail("--tls-dir %s was given, but the mcrouter container mounts no Secret (the render's proxy has no "
             "client certificate)" % tls_dir)

    for name in sorted(env):
        args += ["--env", "%s=%s" % (name, env[name])]
    args.append(image)
    args += [expand(a, env) for a in container.get("command", [])]
    args += [expand(a, env) for a in container.get("args", [])]
    print("\n".join(args))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
