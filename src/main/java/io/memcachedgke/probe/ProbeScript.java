package io.memcachedgke.probe;

import java.util.List;
import io.memcachedgke.kube.Hashes;

/**
 * The busybox {@code sh} scripts that prove the cache from inside the cluster, generated from typed inputs
 * (never a template). Both print exactly one line, {@code <mode>: OK: ...} or {@code <mode>: FAIL: <what>},
 * and exit 0 only on success; every conversation is a memcached text-protocol exchange with {@code nc}
 * ending in {@code quit}, bounded by {@code timeout}, so no step can hang.
 *
 * <ul>
 *   <li>{@link #rollout}: waits, within a bound, until every proxy pod (every node) reports the config digest
 *       the program computed ({@code get __mcrouter__.config_md5_digest}) and runs the current pod template;
 *       a proxy that never converges fails it, named with its node and what it reports.
 *   <li>{@link #smoke}: writes through the proxy on its own node (the applications' path), then, through
 *       every proxy, sets keys the locator places on each shard, gets them back, and reads every shard
 *       directly: each key must be on the shard the locator predicts and nowhere else it could not be.
 * </ul>
 *
 * <p>A proxy names its node through its own options: it runs with {@code --config-params
 * node_name:$(NODE_NAME),template:<revision>}, which mcrouter only keeps for its config preprocessor and
 * answers for {@code get __mcrouter__.options(config_params)} ({@code mcrouter/ServiceInfo-inl.h} "options").
 *
 * @param mode                  {@code rollout} or {@code smoke}: the first word of the line it prints
 * @param waitSeconds           rollout: how long proxies may take to converge; smoke: how long the first write
 *                              through this node's proxy may keep failing
 * @param connectTimeoutSeconds {@code nc -w}: connect timeout of each conversation
 * @param replyTimeoutSeconds   {@code timeout}: the most one conversation may take
 * @param keyTtlSeconds         smoke: expiry of the test keys, so that a failed run leaves nothing for long
 * @param tls                   the shards serve mutual TLS. Smoke: the script reads them over TLS with the certificate
 *                              in {@link #TLS_DIR_ENV} (python3's {@code ssl}: busybox has no TLS client that presents
 *                              one), and proves that a shard refuses a client without a certificate and plain text.
 *                              Rollout: each proxy must also round-trip a set and a get, which it can only do over its
 *                              TLS pool with its own certificate (the check itself talks plain text to the proxies, as
 *                              the applications do, and needs no certificate)
 */
public record ProbeScript(String mode, int waitSeconds, int connectTimeoutSeconds, int replyTimeoutSeconds,
                          int keyTtlSeconds, boolean tls) {

    /** Where the proxy on this node answers: the applications' contract ({@code Mcrouter.clientEnv()}). */
    public static final String LOCAL_HOST_ENV = "MCROUTER_HOST";
    public static final String LOCAL_PORT_ENV = "MCROUTER_PORT";
    /** The DNS name that lists every proxy pod, ready or not (a headless Service publishing not-ready addresses). */
    public static final String PROXY_SERVICE_ENV = "MCROUTER_PROXY_SERVICE";
    /** Instead of {@link #PROXY_SERVICE_ENV}: the proxies' {@code host:port}, space-separated. */
    public static final String PROXIES_ENV = "MCROUTER_PROXIES";
    /** The digest every proxy must report. */
    public static final String DIGEST_ENV = "MCROUTER_CONFIG_MD5";
    /** The pod template revision every proxy must run (its {@code template} config param). */
    public static final String TEMPLATE_ENV = "MCROUTER_TEMPLATE";
    /** Every shard's {@code host:port}, space-separated, in ordinal order. */
    public static final String SERVERS_ENV = "MEMCACHED_SERVERS";
    /** {@code key@i} or {@code key@i+j}: a key the locator puts on shard i (and, during a move, maybe j). */
    public static final String KEYS_ENV = "SMOKE_KEYS";

    /** With {@link #tls}: the directory of this pod's client certificate (tls.crt, tls.key, ca.crt). */
    public static final String TLS_DIR_ENV = "MEMCACHED_TLS_DIR";

    /** The commands the scripts run besides the shell and its built-ins: busybox applets. */
    public static final List<String> TOOLS =
        List.of("awk", "cat", "cut", "date", "grep", "nc", "nslookup", "od", "sleep", "sort", "timeout", "tr");

    /** {@code nc -w}: a server that does not accept within this is down. */
    public static final int CONNECT_TIMEOUT_SECONDS = 3;
    /** A whole conversation (connect, requests, replies, quit) takes milliseconds; this bounds a stuck one. */
    public static final int REPLY_TIMEOUT_SECONDS = 5;
    /** The test keys expire after 10 minutes even when a run fails before deleting them. */
    public static final int KEY_TTL_SECONDS = 600;

    public ProbeScript {
        if (!mode.equals("rollout") && !mode.equals("smoke")) {
            throw new IllegalArgumentException("mode must be rollout or smoke: " + mode);
        }
        for (int v : new int[] {waitSeconds, connectTimeoutSeconds, replyTimeoutSeconds, keyTtlSeconds}) {
            if (v < 1) {
                throw new IllegalArgumentException("every probe script setting must be at least 1 second: " + this);
            }
        }
    }

    public static ProbeScript rollout(int waitSeconds) {
        return rollout(waitSeconds, false);
    }

    /** The rollout check; with {@code tls}, of proxies whose pool reaches the shards over mutual TLS. */
    public static ProbeScript rollout(int waitSeconds, boolean tls) {
        return new ProbeScript("rollout", waitSeconds, CONNECT_TIMEOUT_SECONDS, REPLY_TIMEOUT_SECONDS, KEY_TTL_SECONDS,
            tls);
    }

    public static ProbeScript smoke(int proxyWaitSeconds) {
        return smoke(proxyWaitSeconds, false);
    }

    /** The smoke test; with {@code tls}, of shards that serve mutual TLS. */
    public static ProbeScript smoke(int proxyWaitSeconds, boolean tls) {
        return new ProbeScript("smoke", proxyWaitSeconds, CONNECT_TIMEOUT_SECONDS, REPLY_TIMEOUT_SECONDS, KEY_TTL_SECONDS,
            tls);
    }

    /** The environment variables the script requires, in the order it checks them (plus one of the proxy sources). */
    public List<String> requiredEnv() {
        if (mode.equals("rollout")) {
            return List.of(LOCAL_PORT_ENV, DIGEST_ENV, TEMPLATE_ENV);
        }
        return tls ? List.of(LOCAL_HOST_ENV, LOCAL_PORT_ENV, DIGEST_ENV, SERVERS_ENV, KEYS_ENV, TLS_DIR_ENV)
            : List.of(LOCAL_HOST_ENV, LOCAL_PORT_ENV, DIGEST_ENV, SERVERS_ENV, KEYS_ENV);
    }

    /** The script. */
    public String text() {
        var s = new Script();
        s.line("#!/bin/sh");
        // The text is fixed (the class moved under io.memcachedgke since): the script is part of the check Jobs' names,
        // so any change to it renames them and reruns the checks on every stack's next up.
        s.line("# memcached-gke " + mode + ", generated by memcachedgke.probe.ProbeScript: do not edit.");
        if (mode.equals("rollout")) {
            s.line("# Waits until every mcrouter pod reports the expected config digest and pod template. One line; exit 0 on success.");
            if (tls) {
                s.line("# Each must also round-trip a set and a get: over mutual TLS from the proxy to the shards.");
            }
        } else {
            s.line("# Writes through this node's mcrouter, then through every mcrouter sets keys the locator places on each");
            s.line("# shard and reads every shard directly: each key must be where the locator says. One line; exit 0 on success.");
        }
        s.line("set -fu");
        s.assign("wait_seconds", waitSeconds);
        s.assign("connect_timeout", connectTimeoutSeconds);
        s.assign("reply_timeout", replyTimeoutSeconds);
        s.assign("key_ttl", keyTtlSeconds);
        s.blank();
        prelude(s);
        for (var env : requiredEnv()) {
            s.line("[ -n \"${" + env + ":-}\" ] || fail \"" + env + " is not set\"");
        }
        s.line("[ -n \"${" + PROXIES_ENV + ":-}${" + PROXY_SERVICE_ENV + ":-}\" ] || fail \"" + PROXY_SERVICE_ENV + " (or "
            + PROXIES_ENV + ") is not set\"");
        s.line("expected=\"$" + DIGEST_ENV + "\"");
        s.blank();
        if (mode.equals("rollout")) {
            rolloutMain(s, tls);
        } else {
            smokeMain(s, tls);
        }
        return s.toString();
    }

    private void prelude(Script s) {
        s.function("fail", "prints the one line that says what failed, and exits non-zero",
            "printf '" + mode + ": FAIL: %s\\n' \"$1\"",
            "exit 1");
        // stderr goes nowhere: nc's errors and the shell's "Terminated" for a conversation cut by timeout would be
        // lines besides the one the script prints; an empty reply says it all.
        s.function("ask", "HOST PORT: sends stdin, then quit, to a memcached-protocol server; prints its reply without CRs",
            "{ { cat; printf 'quit\\r\\n'; } | timeout \"$reply_timeout\" nc -w \"$connect_timeout\" \"$1\" \"$2\" "
                + "| tr -d '\\r'; } 2>/dev/null");
        if (tls) {
            // python3's ssl (the standard library): the CA's file verifies the shard's certificate and name, and the
            // pod's own certificate is presented unless NO_CERT=1 (the refusal check). Same contract as ask.
            s.function("ask_tls", "HOST PORT [no-cert]: as ask, over TLS with this pod's client certificate (" + TLS_DIR_ENV
                    + "), or none",
                "{ { cat; printf 'quit\\r\\n'; } | NO_CERT=\"${3:-}\" timeout \"$reply_timeout\" python3 -c '" + TLS_CLIENT
                    + "' \"$1\" \"$2\" | tr -d '\\r'; } 2>/dev/null");
        }
        s.function("value", "HOST:PORT KEY: the value a get of KEY returns, or nothing on a miss or no reply",
            "printf 'get %s\\r\\n' \"$2\" | ask \"${1%:*}\" \"${1##*:}\" "
                + "| awk '$1 == \"VALUE\" { if ((getline v) > 0) print v; exit }'");
        s.function("param", "PARAMS NAME: one param of a proxy's config_params (name1:value1,name2:value2)",
            "printf '%s\\n' \"$1\" | tr ',' '\\n' | awk -F: -v k=\"$2\" '$1 == k { print $2; exit }'");
        s.function("node_of", "HOST:PORT: the node a proxy runs on (its node_name config param), or unknown",
            "n=$(param \"$(value \"$1\" '__mcrouter__.options(config_params)')\" node_name)",
            "printf '%s' \"${n:-unknown}\"");
        s.function("proxies", "every proxy's host:port, one a line: " + PROXIES_ENV + ", or the addresses of "
                + PROXY_SERVICE_ENV + " (every pod, ready or not)",
            "if [ -n \"${" + PROXIES_ENV + ":-}\" ]; then",
            "  # shellcheck disable=SC2086 # one word per proxy",
            "  printf '%s\\n' $" + PROXIES_ENV,
            "  return",
            "fi",
            "nslookup \"$" + PROXY_SERVICE_ENV + "\" 2>/dev/null | awk -v port=\"$" + LOCAL_PORT_ENV + "\" "
                + "'/^Name:/ { named = 1 } named && /^Address/ { for (i = 2; i <= NF; i++) "
                + "if ($i ~ /^[0-9]+[.][0-9]+[.][0-9]+[.][0-9]+$/) { print $i \":\" port; break } }' | sort -u");
    }

    /**
     * The TLS client of {@code ask_tls}, one line of Python in single quotes (so no single quote in it): stdin to the
     * server, the server's reply to stdout until it closes (after {@code quit}); no certificate with
     * {@code NO_CERT=no-cert}.
     */
    public static final String TLS_CLIENT = "import os,socket,ssl,sys; h,p,d=sys.argv[1],int(sys.argv[2]),os.environ[\"" + TLS_DIR_ENV
        + "\"]; c=ssl.create_default_context(cafile=d+\"/ca.crt\"); "
        + "os.environ.get(\"NO_CERT\")==\"no-cert\" or c.load_cert_chain(d+\"/tls.crt\",d+\"/tls.key\"); "
        + "r=socket.create_connection((h,p),timeout=3); t=c.wrap_socket(r,server_hostname=h); "
        + "t.sendall(sys.stdin.buffer.read()); "
        + "[sys.stdout.buffer.write(b) for b in iter(lambda: t.recv(65536), b\"\")]";

    /**
     * When a wait ends: at least {@code wait_seconds} from now. {@code date +%s} counts whole seconds, so now + wait
     * would end up to a second early (a run started at 10.9 s would stop at 13.0 s for a 3-second wait); one more
     * second makes the wait at least what its failure line says.
     */
    static final String DEADLINE = "deadline=$(( $(date +%s) + wait_seconds + 1 ))";

    private static void rolloutMain(Script s, boolean tls) {
        s.line("template=\"$" + TEMPLATE_ENV + "\"");
        if (tls) {
            s.line("nonce=$(od -An -N4 -tx4 /dev/urandom | tr -d ' \\n')");
            // A set the proxy can only store over its TLS pool to a shard (with its own certificate), read back and deleted.
            s.function("round_trip", "HOST:PORT N: a set and a get of a fresh key through the proxy; on failure, why in trip",
                "key=\"rollout-$nonce-$2\"",
                "trip=$(printf 'set %s 0 %s 2\\r\\nok\\r\\n' \"$key\" \"$key_ttl\" | ask \"${1%:*}\" \"${1##*:}\")",
                "[ \"$trip\" = STORED ] || { trip=${trip:-no reply}; return 1; }",
                "[ \"$(value \"$1\" \"$key\")\" = ok ] || { trip=\"the get did not return the value just set\"; return 1; }",
                "printf 'delete %s\\r\\n' \"$key\" | ask \"${1%:*}\" \"${1##*:}\" >/dev/null");
        }
        s.line(DEADLINE);
        s.line("previous=");
        s.comment("Rounds until every proxy found reports the config and template, twice with the same proxies.");
        s.line("while :; do");
        s.line("  found=$(proxies | tr '\\n' ' ')");
        s.line("  found=${found% }");
        s.line("  count=0");
        s.line("  bad=0");
        s.line("  problem=");
        s.line("  nodes=");
        s.line("  [ -n \"$found\" ] || problem=\"no mcrouter pod found (${" + PROXIES_ENV + ":-DNS name $"
            + PROXY_SERVICE_ENV + " has no address})\"");
        s.line("  for p in $found; do");
        s.line("    count=$((count + 1))");
        s.line("    params=$(value \"$p\" '__mcrouter__.options(config_params)')");
        s.line("    node=$(param \"$params\" node_name)");
        s.line("    digest=$(value \"$p\" __mcrouter__.config_md5_digest)");
        s.line("    revision=$(param \"$params\" template)");
        s.line("    this=");
        s.line("    if [ -z \"$digest\" ]; then");
        s.line("      this=\"proxy $p (node unknown) does not answer\"");
        s.line("    elif [ \"$digest\" != \"$expected\" ]; then");
        s.line("      this=\"proxy $p on node ${node:-unknown} reports config digest $digest (expected $expected)\"");
        s.line("    elif [ \"$revision\" != \"$template\" ]; then");
        s.line("      this=\"proxy $p on node ${node:-unknown} runs pod template ${revision:-unknown} (expected $template): its roll is not over\"");
        if (tls) {
            s.line("    elif ! round_trip \"$p\" \"$count\"; then");
            s.line("      this=\"proxy $p on node ${node:-unknown} does not round-trip a set and a get to the shards over mutual TLS ($trip)\"");
        }
        s.line("    fi");
        s.line("    if [ -n \"$this\" ]; then");
        s.line("      bad=$((bad + 1))");
        s.line("      [ -n \"$problem\" ] || problem=$this");
        s.line("    fi");
        s.line("    nodes=\"$nodes ${node:-unknown}\"");
        s.line("  done");
        s.line("  [ -z \"$problem\" ] && [ \"$found\" = \"$previous\" ] && break");
        s.line("  previous=$found");
        s.line("  if [ \"$(date +%s)\" -ge \"$deadline\" ]; then");
        s.line("    [ -n \"$problem\" ] || fail \"the mcrouter pods kept changing for ${wait_seconds}s: $found\"");
        s.line("    [ \"$bad\" -le 1 ] || problem=\"$bad of $count mcrouter pods are not on the new config; first: $problem\"");
        s.line("    fail \"$problem after ${wait_seconds}s\"");
        s.line("  fi");
        s.line("  sleep 2");
        s.line("done");
        s.line("printf 'rollout: OK: %s mcrouter pods report config %s and pod template %s" + (tls
            ? " and round-trip a set and a get to the shards over mutual TLS" : "") + " (nodes:%s)\\n' "
            + "\"$count\" \"$expected\" \"$template\" \"$nodes\"");
    }

    private static void smokeMain(Script s, boolean tls) {
        var askShard = tls ? "ask_tls" : "ask";
        s.line("here=\"$" + LOCAL_HOST_ENV + ":$" + LOCAL_PORT_ENV + "\"");
        s.line("nonce=$(od -An -N4 -tx4 /dev/urandom | tr -d ' \\n')");
        s.line("probe=\"smoke-$(date +%s)-$nonce\"");
        s.line("# shellcheck disable=SC2086 # one word per key or server");
        s.line("keys=$(printf '%s\\n' $" + KEYS_ENV + " | cut -d@ -f1 | tr '\\n' ' ')");
        s.line("keys=${keys% }");
        s.line("# shellcheck disable=SC2086");
        s.line("key_count=$(printf '%s\\n' $" + KEYS_ENV + " | grep -c .)");
        s.line("# shellcheck disable=SC2086");
        s.line("shard_count=$(printf '%s\\n' $" + SERVERS_ENV + " | grep -c .)");
        s.function("shard", "I: the host:port of shard I (from 0)",
            "# shellcheck disable=SC2086",
            "printf '%s\\n' $" + SERVERS_ENV + " | awk -v n=\"$(( $1 + 1 ))\" 'NR == n'");
        s.function("holding", "VALUE: the keys of a multi-get reply (stdin) that hold VALUE, one a line",
            "awk -v v=\"$1\" '$1 == \"VALUE\" { k = $2; if ((getline line) > 0 && line == v) print k }'");
        s.blank();
        s.comment("1. The applications' path: set through the proxy on this node, retrying while it may still start.");
        s.line(DEADLINE);
        s.line("while :; do");
        s.line("  reply=$(printf 'set %s 0 %s 2\\r\\nok\\r\\n' \"$probe\" \"$key_ttl\" | ask \"$" + LOCAL_HOST_ENV
            + "\" \"$" + LOCAL_PORT_ENV + "\")");
        s.line("  [ \"$reply\" = STORED ] && break");
        s.line("  [ \"$(date +%s)\" -lt \"$deadline\" ] || fail \"set $probe through the mcrouter on this node ($here): "
            + "${reply:-no reply (connection refused, unreachable or timed out)} for ${wait_seconds}s (expected STORED)\"");
        s.line("  sleep 2");
        s.line("done");
        s.line("[ \"$(value \"$here\" \"$probe\")\" = ok ] || fail \"get $probe through the mcrouter on this node ($here): "
            + "not the value just set\"");
        s.line("printf 'delete %s\\r\\n' \"$probe\" | ask \"$" + LOCAL_HOST_ENV + "\" \"$" + LOCAL_PORT_ENV + "\" >/dev/null");
        s.blank();
        s.comment("2. Every proxy: on the config, and each key it writes lands where the locator puts it.");
        s.line("found=$(proxies | tr '\\n' ' ')");
        s.line("found=${found% }");
        s.line("[ -n \"$found\" ] || fail \"no mcrouter pod found (${" + PROXIES_ENV + ":-DNS name $" + PROXY_SERVICE_ENV
            + " has no address})\"");
        s.line("proxy_count=0");
        s.line("for p in $found; do");
        s.line("  proxy_count=$((proxy_count + 1))");
        s.line("  node=$(node_of \"$p\")");
        s.line("  where=\"mcrouter $p on node $node\"");
        s.line("  digest=$(value \"$p\" __mcrouter__.config_md5_digest)");
        s.line("  [ \"$digest\" = \"$expected\" ] || fail \"$where reports config digest ${digest:-(no reply)} (expected $expected)\"");
        s.line("  v=\"ok-$nonce-$proxy_count\"");
        s.line("  stored=$(for k in $keys; do printf 'set %s 0 %s %s\\r\\n%s\\r\\n' \"$k\" \"$key_ttl\" \"${#v}\" \"$v\"; done "
            + "| ask \"${p%:*}\" \"${p##*:}\" | grep -c '^STORED$')");
        s.line("  [ \"$stored\" -eq \"$key_count\" ] || fail \"set $key_count keys through $where: $stored answered STORED\"");
        s.line("  back=$(printf 'get %s\\r\\n' \"$keys\" | ask \"${p%:*}\" \"${p##*:}\" | holding \"$v\" | grep -c .)");
        s.line("  [ \"$back\" -eq \"$key_count\" ] || fail \"get $key_count keys back through $where: $back had the value just set\"");
        s.line("  observed=");
        s.line("  i=0");
        s.line("  # shellcheck disable=SC2086");
        s.line("  for server in $" + SERVERS_ENV + "; do");
        s.line("    reply=$(printf 'get %s\\r\\n' \"$keys\" | " + askShard + " \"${server%:*}\" \"${server##*:}\")");
        s.line("    [ -n \"$reply\" ] || fail \"get from shard $server: no reply (connection refused, unreachable or timed out); every shard must answer\"");
        s.line("    # shellcheck disable=SC2046 # one word per key (no globbing: set -f)");
        s.line("    for k in $(printf '%s\\n' \"$reply\" | holding \"$v\"); do observed=\"$observed $k@$i\"; done");
        s.line("    i=$((i + 1))");
        s.line("  done");
        s.line("  for entry in $" + KEYS_ENV + "; do");
        s.line("    k=${entry%@*}");
        s.line("    on=${entry#*@}");
        s.line("    predicted=${on%+*}");
        s.line("    also=${on#*+}");
        s.line("    # shellcheck disable=SC2086");
        s.line("    holders=$(printf '%s\\n' $observed | awk -F@ -v k=\"$k\" '$1 == k { print $2 }' | tr '\\n' ' ')");
        s.line("    case \" $holders\" in");
        s.line("      *\" $predicted \"*) ;;");
        s.line("      *) fail \"key $k set through $where is not on shard $(shard \"$predicted\"), where the locator puts it "
            + "(found on shards: ${holders:-none})\" ;;");
        s.line("    esac");
        s.line("    for h in $holders; do");
        s.line("      [ \"$h\" = \"$predicted\" ] || [ \"$h\" = \"$also\" ] || fail \"key $k set through $where is on shard "
            + "$(shard \"$h\") too, where the locator does not put it\"");
        s.line("    done");
        s.line("  done");
        s.line("  for k in $keys; do printf 'delete %s\\r\\n' \"$k\"; done | ask \"${p%:*}\" \"${p##*:}\" >/dev/null");
        s.line("done");
        var over = "";
        if (tls) {
            s.blank();
            s.comment("3. Mutual TLS: every shard answers this pod's certificate, and refuses a client without one and plain text.");
            s.line("# shellcheck disable=SC2086");
            s.line("for server in $" + SERVERS_ENV + "; do");
            s.line("  reply=$(printf 'version\\r\\n' | ask_tls \"${server%:*}\" \"${server##*:}\")");
            s.line("  case \"$reply\" in VERSION*) ;; *) fail \"shard $server: no answer over TLS with this pod's certificate "
                + "(${reply:-no reply})\" ;; esac");
            s.line("  reply=$(printf 'version\\r\\n' | ask_tls \"${server%:*}\" \"${server##*:}\" no-cert)");
            s.line("  case \"$reply\" in VERSION*) fail \"shard $server answered a client without a certificate: $reply\" ;; esac");
            s.line("  reply=$(printf 'version\\r\\n' | ask \"${server%:*}\" \"${server##*:}\")");
            s.line("  case \"$reply\" in VERSION*) fail \"shard $server answered plain text: $reply\" ;; esac");
            s.line("done");
            over = " over mutual TLS (a client without a certificate and plain text refused)";
        }
        s.line("printf 'smoke: OK: this node'\\''s mcrouter (%s) takes writes; %s mcrouter pods on config %s each put %s keys "
            + "on the shards the locator predicts (%s shards" + over + ")\\n' \"$here\" \"$proxy_count\" \"$expected\" \"$key_count\" \"$shard_count\"");
    }

    /** SHA-256 of {@link #text()}: part of a Job's name, so that a new script reruns the check. */
    public String sha256() {
        return Hashes.sha256(text());
    }

    /** Lines of shell, with the few constructs the generator needs. */
    private static final class Script {
        private final StringBuilder sb = new StringBuilder();

        void line(String line) {
            sb.append(line).append('\n');
        }

        void blank() {
            sb.append('\n');
        }

        void comment(String text) {
            line("# " + text);
        }

        void assign(String variable, int value) {
            line(variable + "=" + value);
        }

        void function(String name, String doc, String... body) {
            comment(name + " " + doc);
            line(name + "() {");
            for (var l : body) {
                line("  " + l);
            }
            line("}");
            blank();
        }

        @Override
        public String toString() {
            return sb.toString();
        }
    }
}
