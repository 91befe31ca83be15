#!/usr/bin/env python3
"""A stand-in for one mcrouter proxy pod, for the runs on the Docker-free control plane (scripts/try.sh, and the
real-engine run of scripts/lab-checks.sh and scripts/e2e.sh: io.memcachedgke.engine.OperatorScriptsIT). Why a
stand-in: kwok's pods run no container, and mcrouter is in no registry this machine reaches, so nothing real can
answer on a proxy's port. Everything else there is real: the Pulumi CLI, kubectl, the API server and its objects,
and the memcached processes the keys land on.

  mcrouter-standin.py <listen port> <config digest> <node name> <memcached port>...

Listens on 127.0.0.1:<listen port>. Answers what mcrouter answers itself (mcrouter/ProxyRequestContext and the
`__mcrouter__.` admin keys, mcrouter/routes/ProxyRoute.h):
  get __mcrouter__.config_md5_digest          the digest of the config this proxy runs
  get __mcrouter__.options(config_params)     node_name:<node>, as --config-params sets it on the DaemonSet
and routes every other command as the plain config's PoolRoute does: each key to the memcached of the pool (the
ports, in ordinal order) that mcrouter's ch3 hash picks (ch3.py, checked against upstream's golden values), a
multi-key get split by shard and its replies joined. It does not migrate between layouts (a resize's routes).
"""
import os
import socket
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
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.reader = self.sock.makefile("rb")

    def ask(self, payload, retrieval):
        """Sends one command; returns its reply: VALUE blocks (without END) for a retrieval, else the status line."""
        self.sock.sendall(payload)
        out = b""
        while True:
            answer = self.reader.readline()
            if not answer:
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


def serve(client, ports, admin):
    upstreams = {}

    def shard(key):
        index = ch3.server_index(key, len(ports))
        if index not in upstreams:
            upstreams[index] = Upstream(ports[index])
        return upstreams[index]

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
            if words[0] in ("get", "gets"):
                reply = b""
                by_shard = {}
                for key in words[1:]:
                    if key in admin:
                        reply += reply_value(key, admin[key])[:-len(b"END\r\n")]
                    else:
                        by_shard.setdefault(ch3.server_index(key, len(ports)), []).append(key)
                for index, keys in by_shard.items():
                    reply += shard(keys[0]).ask(("%s %s\r\n" % (words[0], " ".join(keys))).encode(), True)
                client.sendall(reply + b"END\r\n")
                continue
            payload = line
            if words[0] in STORAGE and len(words) >= 5:
                payload += down.read(int(words[4]) + 2)
            target = shard(words[1]) if words[0] in KEYED and len(words) > 1 else shard("")
            client.sendall(target.ask(payload, False))
    finally:
        for u in upstreams.values():
            u.close()
        client.close()


def main():
    port, digest, node = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    ports = [int(p) for p in sys.argv[4:]]
    if not ports:
        sys.exit("usage: mcrouter-standin.py <listen port> <config digest> <node name> <memcached port>...")
    admin = {
        "__mcrouter__.config_md5_digest": digest,
        "__mcrouter__.options(config_params)": "node_name:%s" % node,
    }
    server = socket.create_server(("127.0.0.1", port))
    print("ready", flush=True)
    while True:
        client, _ = server.accept()
        threading.Thread(target=serve, args=(client, ports, admin), daemon=True).start()


if __name__ == "__main__":
    main()
