package io.memcachedgke.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates for the tests, made with openssl the way cert-manager makes them for the program's Certificates: a CA
 * (basicConstraints CA, keyCertSign), and leaves with an ECDSA P-256 key, digitalSignature and keyEncipherment, and
 * serverAuth (with the names) or clientAuth, each leaf's directory holding {@code tls.crt}, {@code tls.key} and
 * {@code ca.crt} as cert-manager's Secret does. A server leaf is also valid for 127.0.0.1, where the tests dial it.
 */
public final class Pki {
    private final Path dir;
    private int serial;

    public Pki(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    public record Ca(String name, Path cert, Path key) {}

    public record Leaf(Path dir) {
        public Path cert() {
            return dir.resolve("tls.crt");
        }

        public Path key() {
            return dir.resolve("tls.key");
        }
    }

    public Ca ca(String name) throws Exception {
        var d = Files.createDirectories(dir.resolve(name));
        openssl(d, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=" + name,
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
            "-addext", "subjectKeyIdentifier=hash");
        return new Ca(name, d.resolve("ca.crt"), d.resolve("ca.key"));
    }

    public Leaf leaf(Ca ca, String name, boolean server, List<String> dnsNames) throws Exception {
        return leaf(dir.resolve(name + "-" + (serial + 1)), ca, name, server, dnsNames, server);
    }

    /**
     * A leaf in {@code d}; with {@code loopback}, also valid for 127.0.0.1 (a test that checks a client refuses a name
     * the certificate lacks leaves it out, as cert-manager's certificate for the shards does).
     */
    public Leaf leaf(Path d, Ca ca, String name, boolean server, List<String> dnsNames, boolean loopback) throws Exception {
        ++serial;
        Files.createDirectories(d);
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
        var sans = new ArrayList<String>();
        dnsNames.forEach(n -> sans.add("DNS:" + n));
        if (loopback) {
            sans.add("IP:127.0.0.1");
        }
        var ext = new StringBuilder()
            .append("basicConstraints=CA:FALSE\n")
            .append("keyUsage=critical,digitalSignature,keyEncipherment\n")
            .append("extendedKeyUsage=").append(server ? "serverAuth" : "clientAuth").append('\n')
            .append("subjectKeyIdentifier=hash\n")
            .append("authorityKeyIdentifier=keyid\n");
        if (!sans.isEmpty()) {
            ext.append("subjectAltName=").append(String.join(",", sans)).append('\n');
        }
        Files.writeString(d.resolve("ext.cnf"), ext.toString());
        openssl(d, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "tls.key",
            "-out", "tls.csr", "-subj", "/CN=" + name);
        openssl(d, "x509", "-req", "-in", "tls.csr", "-CA", ca.cert().toString(), "-CAkey", ca.key().toString(),
            "-set_serial", Integer.toString(1000 + serial), "-days", "1", "-out", "tls.crt", "-extfile", "ext.cnf");
        Files.copy(ca.cert(), d.resolve("ca.crt"));
        for (var f : List.of("tls.crt", "tls.key", "ca.crt")) {
            Files.setPosixFilePermissions(d.resolve(f), PosixFilePermissions.fromString("r--r--r--"));
        }
        return new Leaf(d);
    }

    /**
     * A Java TLS client that presents {@code leaf}'s certificate and trusts only its CA: what a pool with
     * {@code "use_ssl": true} and mcrouter's {@code --pem-*} files presents to the shards, for tests whose proxy is a
     * stand-in. The key goes through a PKCS#12 file (openssl), the form Java's key managers read.
     */
    public static SSLSocketFactory client(Leaf leaf) throws Exception {
        var password = "test".toCharArray();
        var p12 = leaf.dir().resolve("tls.p12");
        if (!Files.exists(p12)) {
            openssl(leaf.dir(), "pkcs12", "-export", "-in", "tls.crt", "-inkey", "tls.key", "-out", "tls.p12",
                "-passout", "pass:test");
        }
        var keys = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(p12)) {
            keys.load(in, password);
        }
        var kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password);
        var trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (var in = Files.newInputStream(leaf.dir().resolve("ca.crt"))) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        var tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        var context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context.getSocketFactory();
    }

    /** SHA-256 of a PEM certificate's DER form, hex: what a TLS peer presents. */
    static String fingerprint(Path pem) throws Exception {
        try (var in = Files.newInputStream(pem)) {
            var cert = CertificateFactory.getInstance("X.509").generateCertificate(in);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
        }
    }

    private static void openssl(Path cwd, String... args) throws Exception {
        var command = new ArrayList<String>(List.of("openssl"));
        command.addAll(List.of(args));
        var p = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true).start();
        var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("openssl " + String.join(" ", args) + " failed: " + out);
        }
    }
}
