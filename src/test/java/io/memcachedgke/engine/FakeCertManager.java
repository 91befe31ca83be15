package io.memcachedgke.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * What cert-manager's controller does for the program's objects, on the local control plane (which has cert-manager's
 * CustomResourceDefinitions but no controller): a background loop that, for every {@code Certificate} of a namespace
 * without {@code Ready=True}, issues it with openssl and marks it Ready, as cert-manager's issuing controller does.
 *
 * <ul>
 *   <li>A CA Certificate ({@code spec.isCA: true}) whose issuer is a {@code selfSigned} Issuer: a self-signed CA
 *       certificate (its own {@code ca.crt}).</li>
 *   <li>Any other: signed by the CA in the Secret the issuer's {@code spec.ca.secretName} names (the Issuer read from
 *       {@code spec.issuerRef}), that CA as {@code ca.crt}.</li>
 * </ul>
 *
 * <p>The Secret ({@code spec.secretName}, type {@code kubernetes.io/tls}, {@code tls.crt}, {@code tls.key},
 * {@code ca.crt}, cert-manager's annotations) is applied server-side with cert-manager's field manager
 * {@code cert-manager-certificates-issuing} and {@code --force-conflicts}; then the status subresource gets the Ready
 * condition, {@code notBefore}, {@code notAfter}, {@code renewalTime} and {@code revision}. Issuers get their Ready
 * condition too. Keys follow {@code spec.privateKey} (ECDSA P-256 here, SEC 1 PEM as cert-manager writes it),
 * usages and DNS names follow the spec.
 *
 * <p>What it does not do: cert-manager's validating webhook (it only records, in {@link #problems()}, an Issuer with no
 * issuer type, which the webhook would refuse at create), CertificateRequests, renewal on its own schedule (a test
 * calls {@link #renewLeaves()}), or keeping a CA key across renewals (it never renews a CA).
 */
final class FakeCertManager implements AutoCloseable {
    /** cert-manager's field manager for the Secrets it writes (pkg/controller/certificates/issuing). */
    static final String FIELD_MANAGER = "cert-manager-certificates-issuing";
    private static final Pattern GO_DURATION = Pattern.compile("(\\d+)(h|m|s)");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final LocalControlPlane cluster;
    private final String namespace;
    private final Path work;
    private final Thread loop;
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final List<String> issued = new CopyOnWriteArrayList<>();
    private volatile boolean running = true;
    private volatile String lastError;

    private FakeCertManager(LocalControlPlane cluster, String namespace) {
        this.cluster = cluster;
        this.namespace = namespace;
        try {
            this.work = Files.createTempDirectory("fake-cert-manager");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.loop = new Thread(this::run, "fake-cert-manager");
        this.loop.setDaemon(true);
    }

    /** Starts the loop for {@code namespace}: it issues whatever is not Ready until {@link #close()}. */
    static FakeCertManager start(LocalControlPlane cluster, String namespace) {
        var fake = new FakeCertManager(cluster, namespace);
        fake.loop.start();
        return fake;
    }

    /** What cert-manager would have refused (its webhook) or could not have issued; empty when all went as it would. */
    List<String> problems() {
        return List.copyOf(problems);
    }

    /** "Certificate name (revision n)" of every issuance so far, in order. */
    List<String> issued() {
        return List.copyOf(issued);
    }

    /** The loop's last failure (an API call that failed), or null. Transient ones are retried. */
    String lastError() {
        return lastError;
    }

    private void run() {
        while (running) {
            try {
                reconcile();
                lastError = null;
            } catch (RuntimeException | Error e) {
                lastError = e.toString();
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One pass: every Issuer without Ready gets it (if cert-manager would accept it), every Certificate issued. */
    synchronized void reconcile() {
        for (var issuer : list("issuers")) {
            if (!isReady(issuer)) {
                markIssuerReady(issuer);
            }
        }
        for (var cert : list("certificates")) {
            if (!isReady(cert)) {
                issue(cert);
            }
        }
    }

    /**
     * A renewal of every leaf (every Certificate but the CA), as cert-manager makes one ({@code rotationPolicy:
     * Always}): a new key, a new certificate from the same CA, the same Secret overwritten (server-side apply), the
     * revision counted up. Returns secretName to the SHA-256 of its new {@code tls.crt}.
     */
    synchronized Map<String, String> renewLeaves() {
        var out = new LinkedHashMap<String, String>();
        for (var cert : list("certificates")) {
            if (!cert.at("/spec/isCA").asBoolean(false)) {
                out.put(cert.at("/spec/secretName").asText(), issue(cert));
            }
        }
        return out;
    }

    @Override
    public void close() {
        running = false;
        loop.interrupt();
        try {
            loop.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // -------------------------------------------------------------------------------------------------- issuing

    /** Issues one Certificate; returns the SHA-256 (hex) of the certificate written. */
    private String issue(JsonNode cert) {
        var name = cert.at("/metadata/name").asText();
        var spec = cert.get("spec");
        var issuerRef = spec.get("issuerRef");
        if (!"Issuer".equals(issuerRef.path("kind").asText("Issuer"))) {
            throw new IllegalStateException("Certificate " + name + ": only namespaced Issuers are faked, not "
                + issuerRef.path("kind").asText());
        }
        var issuerName = issuerRef.get("name").asText();
        var issuerGet = kubectl("get", "issuer", issuerName, "-n", namespace, "-o", "json");
        if (!issuerGet.ok()) {
            return ""; // not created yet: cert-manager waits for it too
        }
        var issuer = json(issuerGet);
        try {
            var dir = Files.createTempDirectory(work, name + "-");
            var days = Math.max(1, (int) Math.ceil(hours(spec.path("duration").asText("2160h")) / 24.0));
            String caPem;
            if (spec.path("isCA").asBoolean(false)) {
                if (!issuer.path("spec").has("selfSigned")) {
                    problems.add("CA Certificate " + name + " names Issuer " + issuerName + ", which is not selfSigned: "
                        + issuer.path("spec"));
                }
                key(dir, spec);
                openssl(dir, "req", "-x509", "-new", "-key", "tls.key", "-out", "tls.crt", "-days", Integer.toString(days),
                    "-subj", "/CN=" + spec.path("commonName").asText(name),
                    "-addext", "basicConstraints=critical,CA:TRUE",
                    "-addext", "keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign",
                    "-addext", "subjectKeyIdentifier=hash");
                caPem = Files.readString(dir.resolve("tls.crt"));
            } else {
                var caSecretName = issuer.at("/spec/ca/secretName").asText("");
                if (caSecretName.isEmpty()) {
                    problems.add("Certificate " + name + " names Issuer " + issuerName + ", which is not a CA Issuer: "
                        + issuer.path("spec"));
                    return "";
                }
                var caSecret = kubectl("get", "secret", caSecretName, "-n", namespace, "-o", "json");
                if (!caSecret.ok()) {
                    return ""; // the CA is not issued yet: the next pass
                }
                var data = json(caSecret).get("data");
                caPem = decode(data.get("tls.crt"));
                Files.writeString(dir.resolve("ca.crt"), caPem);
                Files.writeString(dir.resolve("ca.key"), decode(data.get("tls.key")));
                key(dir, spec);
                openssl(dir, "req", "-new", "-key", "tls.key", "-out", "tls.csr",
                    "-subj", "/CN=" + spec.path("commonName").asText(name));
                Files.writeString(dir.resolve("ext.cnf"), leafExtensions(spec));
                openssl(dir, "x509", "-req", "-in", "tls.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                    "-set_serial", "0x" + Long.toHexString(RANDOM.nextLong() & Long.MAX_VALUE),
                    "-days", Integer.toString(days), "-out", "tls.crt", "-extfile", "ext.cnf");
            }
            var crt = Files.readString(dir.resolve("tls.crt"));
            var keyPem = Files.readString(dir.resolve("tls.key"));
            applySecret(cert, issuerName, crt, keyPem, caPem);
            var revision = cert.at("/status/revision").asInt(0) + 1;
            markCertificateReady(cert, days, revision);
            issued.add(name + " (revision " + revision + ")");
            return sha256(dir.resolve("tls.crt"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The key {@code spec.privateKey} asks for: ECDSA P-256 (the program's), or RSA; SEC 1 / PKCS#1 PEM. */
    private void key(Path dir, JsonNode spec) throws IOException {
        var pk = spec.path("privateKey");
        var algorithm = pk.path("algorithm").asText("RSA");
        if (algorithm.equals("ECDSA")) {
            var curve = switch (pk.path("size").asInt(256)) {
                case 384 -> "secp384r1";
                case 521 -> "secp521r1";
                default -> "prime256v1";
            };
            openssl(dir, "ecparam", "-name", curve, "-genkey", "-noout", "-out", "tls.key");
        } else {
            openssl(dir, "genrsa", "-traditional", "-out", "tls.key", Integer.toString(pk.path("size").asInt(2048)));
        }
    }

    /** The usages and names of a leaf, as x509v3 extensions. */
    static String leafExtensions(JsonNode spec) {
        var keyUsage = new ArrayList<String>();
        var extended = new ArrayList<String>();
        var usages = spec.path("usages");
        if (usages.isMissingNode() || usages.isEmpty()) {
            keyUsage.addAll(List.of("digitalSignature", "keyEncipherment"));
        }
        for (var u : usages) {
            switch (u.asText()) {
                case "digital signature" -> keyUsage.add("digitalSignature");
                case "key encipherment" -> keyUsage.add("keyEncipherment");
                case "server auth" -> extended.add("serverAuth");
                case "client auth" -> extended.add("clientAuth");
                default -> throw new IllegalStateException("usage not faked: " + u.asText());
            }
        }
        var ext = new StringBuilder("basicConstraints=CA:FALSE\n")
            .append("keyUsage=critical,").append(String.join(",", keyUsage)).append('\n')
            .append("subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n");
        if (!extended.isEmpty()) {
            ext.append("extendedKeyUsage=").append(String.join(",", extended)).append('\n');
        }
        var sans = new ArrayList<String>();
        spec.path("dnsNames").forEach(n -> sans.add("DNS:" + n.asText()));
        if (!sans.isEmpty()) {
            ext.append("subjectAltName=").append(String.join(",", sans)).append('\n');
        }
        return ext.toString();
    }

    private void applySecret(JsonNode cert, String issuerName, String crt, String key, String ca) throws IOException {
        var spec = cert.get("spec");
        var secret = PulumiProject.JSON.createObjectNode();
        secret.put("apiVersion", "v1");
        secret.put("kind", "Secret");
        var meta = secret.putObject("metadata");
        meta.put("name", spec.get("secretName").asText());
        meta.put("namespace", namespace);
        meta.putObject("labels").put("controller.cert-manager.io/fao", "true");
        var annotations = meta.putObject("annotations");
        annotations.put("cert-manager.io/certificate-name", cert.at("/metadata/name").asText());
        annotations.put("cert-manager.io/issuer-name", issuerName);
        annotations.put("cert-manager.io/issuer-kind", "Issuer");
        annotations.put("cert-manager.io/issuer-group", "cert-manager.io");
        annotations.put("cert-manager.io/common-name", spec.path("commonName").asText(""));
        var names = new ArrayList<String>();
        spec.path("dnsNames").forEach(n -> names.add(n.asText()));
        annotations.put("cert-manager.io/alt-names", String.join(",", names));
        secret.put("type", "kubernetes.io/tls");
        var data = secret.putObject("data");
        data.put("tls.crt", encode(crt));
        data.put("tls.key", encode(key));
        data.put("ca.crt", encode(ca));
        var file = Files.createTempFile(work, "secret", ".json");
        Files.writeString(file, PulumiProject.JSON.writeValueAsString(secret));
        kubectl("apply", "--server-side", "--field-manager=" + FIELD_MANAGER, "--force-conflicts", "-f", file.toString())
            .orFail();
    }

    private void markCertificateReady(JsonNode cert, int days, int revision) throws IOException {
        var now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        var duration = Duration.ofHours(hours(cert.at("/spec/duration").asText("2160h")));
        var renewBefore = Duration.ofHours(hours(cert.at("/spec/renewBefore").asText("720h")));
        var status = PulumiProject.JSON.createObjectNode();
        var s = status.putObject("status");
        condition(s, cert, "Ready", "Certificate is up to date and has not expired", now);
        s.put("notBefore", now.toString());
        s.put("notAfter", now.plus(Duration.ofDays(days)).toString());
        s.put("renewalTime", now.plus(duration.minus(renewBefore)).toString());
        s.put("revision", revision);
        kubectl("patch", "certificate", cert.at("/metadata/name").asText(), "-n", namespace, "--subresource=status",
            "--type=merge", "-p", PulumiProject.JSON.writeValueAsString(status)).orFail();
    }

    private void markIssuerReady(JsonNode issuer) {
        var spec = issuer.path("spec");
        var name = issuer.at("/metadata/name").asText();
        String reason;
        String message;
        if (spec.has("selfSigned")) {
            reason = "IsReady";
            message = "";
        } else if (spec.has("ca")) {
            reason = "KeyPairVerified";
            message = "Signing CA verified";
            if (!kubectl("get", "secret", spec.at("/ca/secretName").asText(), "-n", namespace).ok()) {
                return; // cert-manager keeps such an Issuer not Ready until its Secret exists
            }
        } else {
            var problem = "Issuer " + name + " has no issuer type (spec " + spec
                + "): cert-manager's webhook refuses it (\"at least one issuer must be configured\")";
            if (!problems.contains(problem)) {
                problems.add(problem);
            }
            return;
        }
        try {
            var status = PulumiProject.JSON.createObjectNode();
            condition(status.putObject("status"), issuer, reason, message, Instant.now().truncatedTo(ChronoUnit.SECONDS));
            kubectl("patch", "issuer", name, "-n", namespace, "--subresource=status", "--type=merge", "-p",
                PulumiProject.JSON.writeValueAsString(status)).orFail();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void condition(ObjectNode status, JsonNode object, String reason, String message, Instant now) {
        var c = status.putArray("conditions").addObject();
        c.put("type", "Ready");
        c.put("status", "True");
        c.put("reason", reason);
        c.put("message", message);
        // A renewal leaves Ready True: its transition time stays the first issuance's.
        var since = now.toString();
        for (var old : object.at("/status/conditions")) {
            if (old.path("type").asText().equals("Ready") && old.path("status").asText().equals("True")) {
                since = old.path("lastTransitionTime").asText(since);
            }
        }
        c.put("lastTransitionTime", since);
        c.put("observedGeneration", object.at("/metadata/generation").asLong(1));
    }

    // -------------------------------------------------------------------------------------------------- helpers

    static boolean isReady(JsonNode object) {
        for (var c : object.at("/status/conditions")) {
            if (c.path("type").asText().equals("Ready") && c.path("status").asText().equals("True")) {
                return true;
            }
        }
        return false;
    }

    private List<JsonNode> list(String resource) {
        var r = kubectl("get", resource + ".cert-manager.io", "-n", namespace, "-o", "json");
        if (!r.ok()) {
            throw new IllegalStateException(r.report());
        }
        var out = new ArrayList<JsonNode>();
        json(r).path("items").forEach(out::add);
        return out;
    }

    private Cli.Result kubectl(String... args) {
        return cluster.kubectl(args);
    }

    private static JsonNode json(Cli.Result r) {
        try {
            return PulumiProject.JSON.readTree(r.stdout());
        } catch (IOException e) {
            throw new AssertionError("not JSON:\n" + r.report(), e);
        }
    }

    /** Hours of a Go duration as the program writes it ({@code 2160h}, {@code 1h30m}). */
    static long hours(String goDuration) {
        var m = GO_DURATION.matcher(goDuration);
        long seconds = 0;
        while (m.find()) {
            var n = Long.parseLong(m.group(1));
            seconds += switch (m.group(2)) {
                case "h" -> n * 3600;
                case "m" -> n * 60;
                default -> n;
            };
        }
        return Math.max(1, seconds / 3600);
    }

    private static String encode(String pem) {
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
    }

    static String decode(JsonNode base64) {
        return new String(Base64.getDecoder().decode(base64.asText()), StandardCharsets.US_ASCII);
    }

    /** SHA-256 (hex) of a PEM certificate's DER form. */
    static String sha256(Path pem) {
        try (var in = Files.newInputStream(pem)) {
            var cert = java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SHA-256 of a PEM certificate given as text. */
    static String sha256(String pem) {
        try {
            var f = Files.createTempFile("cert", ".pem");
            try {
                Files.writeString(f, pem);
                return sha256(f);
            } finally {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void openssl(Path cwd, String... args) {
        var command = new ArrayList<String>(List.of("openssl"));
        command.addAll(List.of(args));
        try {
            var p = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true).start();
            var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("openssl " + String.join(" ", args) + " failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
