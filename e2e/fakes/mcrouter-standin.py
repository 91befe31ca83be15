#!/usr/bin/env python3
"""A stand-in for one mcrouter proxy pod, for the runs on the Docker-free control plane (scripts/try.sh, and the
real-engine run of scripts/lab-checks.sh and scripts/e2e.sh: io.memcachedgke.engine.OperatorScriptsIT). Why a
stand-in: kwok's pods run no container, and mcrouter is in no registry this machine reaches, so nothing real can
answer on a proxy's port. Everything else there is real: the Pulumi CLI, kubectl, the API server and its objects,
and the memcached processes the keys land on. Also the image under test of McrouterImageCheckTest (the fake docker of
scripts/mcrouter-image-check.sh), with the config file and certificate flags the render gives mcrouter.

  mcrouter-standin.py <listen port> <config digest> <node name> <memcached port>...
  mcrouter-standin.py --config=file:<config.json> [--pem-cert-path=<file> --pem-key-path=<file> --pem-ca-path=<file>]
                      <listen port> <config digest> <node name>

The shards are 127.0.0.1:<memcached port>..., in plain text; or, with --config (mcrouter's flag), the servers of the
config's one pool (host:port, in order), over TLS when the pool says "use_ssl": true, as mcrouter does: with the
client certificate of the three --pem-* flags (mcrouter's own), the shard's certificate checked against the
--pem-ca-path CA (its chain, not its name). With a use_ssl pool and not all three flags, every routed command
answers SERVER_ERROR (mcrouter's ProxyDestination refuses such a destination: "Some of ssl key paths are not set!").
A shard that cannot be reached (refused, its TLS handshake failed, its connection closed) answers SERVER_ERROR with
why.

Listens on 127.0.0.1:<listen port>. Answers what mcrouter answers itself (mcrouter/ProxyRequestContext and the
`__mcrouter__.` admin keys, mcrouter/routes/ProxyRoute.h):
  get __mcrouter__.config_md5_digest          the digest of the config this proxy runs
  get __mcrouter__.options(config_params)     node_name:<node>, as --config-params sets it on the DaemonSet
and routes every other command as the plain config's PoolRoute does: each key to the memcached of the pool (the
shards, in ordinal order) that mcrouter's ch3 hash picks (ch3.py, checked against upstream's golden values), a
multi-key get split by shard and its replies joined. It does not migrate between layouts (a resize's routes).
"""
import json
import os
import socket
import ssl
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ch3  # noqa: E402

STORAGE = ("set", "add", "replace", "append", "prepend", "cas")
KEYED = STORAGE + ("get", "gets", "delete", "touch", "incr", "decr")


def reply_value(key, value):
    data = value.encode()
    return b"VALUE %s 0 %d\r\n%s\r\nEND\r\n" % (key.encode(), len(data), data)


class Upstream:
    def __init__(self, server, tls):
        host, port = server
        self.sock = socket.create_connection((host, port), timeout=5)
        if tls is not None:
            try:
                self.sock = tls.wrap_socket(self.sock, server_hostname=host)
            except OSError:
                self.sock.close()
                raise
        self.sock.settimeout(None)
        self.reader = self.sock.makefile("rb")

    def ask(self, payload, retrieval):
        """Sends one command; returns its reply: VALUE blocks (without END) for a retrieval, else the status line."""
        self.sock.sendall(payload)
        out = b""
        while True:
            answer = self.reader.readline()
            if not answer:
                if not out:
                    raise ConnectionError("connection closed by the shard")
                return out
            text = answer.decode(errors="replace")
            if text.startswith("VALUE "):
                out += answer + self.reader.read(int(text.split()[3]) + 2)
                continue
            if retrieval and text.strip() == "END":
                return out
            return out + answer

    def close(self):
        self.sock.close()


class ShardError(Exception):
    """A shard this proxy cannot talk to: the reply is SERVER_ERROR with why."""


def serve(client, shards, admin):
    servers, tls, refusal = shards
    upstreams = {}

    def ask(key, payload, retrieval):
        """The reply of the shard that holds key; ShardError when it cannot be reached or its connection breaks."""
        index = ch3.server_index(key, len(servers))
        if refusal:
            raise ShardError(refusal)
        try:
            if index not in upstreams:
                upstreams[index] = Upstream(servers[index], tls)
            return upstreams[index].ask(payload, retrieval)
        except OSError as e:
            broken = upstreams.pop(index, None)
            if broken is not None:
                broken.close()
            raise ShardError("%s:%d: %s" % (servers[index][0], servers[index][1], e))

    down = client.makefile("rb")
    try:
        while True:
            line = down.readline()
            if not line:
                return
            words = line.decode(errors="replace").split()
            if not words:
                continue
            if words[0] == "quit":
                return
            try:
                if words[0] in ("get", "gets"):
                    reply = b""
                    by_shard = {}
                    for key in words[1:]:
                        if key in admin:
                            reply += reply_value(key, admin[key])[:-len(b"END\r\n")]
                        else:
                            by_shard.setdefault(ch3.server_index(key, len(servers)), []).append(key)
                    for index, keys in by_shard.items():
                        reply += ask(keys[0], ("%s %s\r\n" % (words[0], " ".join(keys))).encode(), True)
                    client.sendall(reply + b"END\r\n")
                    continue
                payload = line
                if words[0] in STORAGE and len(words) >= 5:
                    payload += down.read(int(words[4]) + 2)
                client.sendall(ask(words[1] if words[0] in KEYED and len(words) > 1 else "", payload, False))
            except ShardError as e:
                client.sendall(b"SERVER_ERROR %s\r\n" % str(e).replace("\r", " ").replace("\n", " ").encode())
    finally:
        for u in upstreams.values():
            u.close()
        client.close()


USAGE = ("usage: mcrouter-standin.py [--config=file:<config.json> [--pem-cert-path=<file> --pem-key-path=<file> "
         "--pem-ca-path=<file>]] <listen port> <config digest> <node name> [<memcached port>...]")


def shards_of(flags, ports):
    """(servers as (host, port), a TLS context or None, why every routed command is refused or None)."""
    if "config" not in flags:
        if not ports or set(flags) - {"config"}:
            sys.exit(USAGE)
        return [("127.0.0.1", p) for p in ports], None, None
    if ports or not flags["config"].startswith("file:"):
        sys.exit(USAGE)
    with open(flags["config"][len("file:"):]) as f:
        pools = json.load(f).get("pools", {})
    if len(pools) != 1:
        sys.exit("mcrouter-standin.py: routes a plain config (one pool), not %d pools" % len(pools))
    pool = next(iter(pools.values()))
    servers = [(s.rsplit(":", 1)[0], int(s.rsplit(":", 1)[1])) for s in pool["servers"]]
    if not pool.get("use_ssl"):
        return servers, None, None
    pem = [flags.get(k) for k in ("pem-cert-path", "pem-key-path", "pem-ca-path")]
    if not all(pem):
        return servers, None, "Some of ssl key paths are not set!"
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    tls.check_hostname = False
    tls.verify_mode = ssl.CERT_REQUIRED
    tls.load_verify_locations(cafile=pem[2])
    tls.load_cert_chain(pem[0], pem[1])
    return servers, tls, None


def main():
    argv = sys.argv[1:]
    flags = {}
    while argv and argv[0].startswith("--"):
        name, _, value = argv.pop(0)[2:].partition("=")
        if name not in ("config", "pem-cert-path", "pem-key-path", "pem-ca-path") or not value:
            sys.exit(USAGE)
        flags[name] = value
    if len(argv) < 3:
        sys.exit(USAGE)
    port, digest, node = int(argv[0]), argv[1], argv[2]
    shards = shards_of(flags, [int(p) for p in argv[3:]])
    admin = {
        "__mcrouter__.config_md5_digest": digest,
        "__mcrouter__.options(config_params)": "node_name:%s" % node,
    }
    server = socket.create_server(("127.0.0.1", port))
    print("ready", flush=True)
    while True:
        client, _ = server.accept()
        threading.Thread(target=serve, args=(client, shards, admin), daemon=True).start()


if __name__ == "__main__":
    main()
