package io.memcachedgke.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.memcachedgke.render.RecordedResource;
import io.memcachedgke.render.RenderWriter;
import io.memcachedgke.render.Rendering;
import io.memcachedgke.support.Stacks;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The {@code local} stack with mutual TLS on ({@code tls.enabled: true}) through its life on the real engine, with
 * cert-manager's own CustomResourceDefinitions in the control plane and {@link FakeCertManager} issuing in the place
 * of cert-manager's controller: the preview plans the cert-manager objects; {@code up} waits until every Certificate
 * is Ready ({@code pulumi.com/waitFor}) and creates everything; nothing changes on the next preview; a renewal of every
 * leaf (new keys and certificates written into the same Secrets, as cert-manager writes them) restarts no pod and
 * changes nothing Pulumi plans; destroy leaves nothing.
 *
 * <p>What the fake cannot show: cert-manager's webhook and controller themselves, and pods reading the Secrets (kwok
 * runs no container; TlsRunTest and TlsExporterIT run the processes with certificates).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TlsLifecycleIT {
    static final String STACK = "local";
    static final String CERTIFICATE = "kubernetes:cert-manager.io/v1:Certificate";
    static final String ISSUER = "kubernetes:cert-manager.io/v1:Issuer";
    static PulumiProject project;
    static Lifecycle life;
    static Rendering render;
    static FakeCertManager certManager;

    @BeforeAll
    static void start() {
        project = PulumiProject.of(STACK);
        life = new Lifecycle(project);
        life.config("tls.enabled", "true", "bool");
        // The render of exactly this stack file (the repository's local stack, TLS on): what the engine is held to.
        render = Rendering.of(project.dir, STACK);
        certManager = FakeCertManager.start(project.cluster, Lifecycle.NAMESPACE);
    }

    @AfterAll
    static void end() {
        if (certManager != null) {
            certManager.close();
        }
        if (project != null) {
            project.pulumi("destroy", "--yes", "--skip-preview");
            project.close();
        }
    }

    @Test
    @Order(1)
    @DisplayName("preview of a new stack plans the rendered resources, the cert-manager objects among them")
    void previewPlansTheCertManagerObjects() {
        var started = System.nanoTime();
        var plan = life.preview();
        var expected = render.resources().stream().map(RecordedResource::ref).sorted().toList();
        assertThat(plan.creates()).as(plan.report()).containsExactlyElementsOf(expected);
        assertThat(plan.opsOtherThan("create")).as(plan.report()).isEmpty();
        assertThat(plan.creates()).as(plan.report())
            .contains("memcached-gke:tls:CacheCertificates::mycache-tls", ISSUER + "::mycache-tls-selfsigned-issuer",
                ISSUER + "::mycache-tls-ca-issuer", CERTIFICATE + "::mycache-tls-ca-certificate",
                CERTIFICATE + "::mycache-tls-memcached-certificate");
        System.out.printf("tls lifecycle: preview planned %d creates, %d Certificates, %d Issuers (%d ms)%n",
            plan.creates().size(), certificates().size(), count(ISSUER), ms(started));
    }

    @Test
    @Order(2)
    @DisplayName("up: every Certificate issued and Ready, every live object and every state input as rendered")
    void upWaitsForTheCertificates() {
        var started = System.nanoTime();
        life.up();
        System.out.printf("tls lifecycle: up in %d ms; issued %s%n", ms(started), certManager.issued());
        assertThat(certManager.problems()).as("what cert-manager would refuse or could not issue").isEmpty();

        // The self-signed Issuer: cert-manager's webhook refuses an Issuer with no issuer type, and its schema does
        // not (spec: {} is valid to the CRD), so the live object is checked here, key by key.
        var selfSigned = life.object("issuer.cert-manager.io", "mycache-selfsigned");
        assertThat(selfSigned.path("spec").has("selfSigned"))
            .as("the live Issuer mycache-selfsigned keeps spec.selfSigned: {} (live spec %s)", selfSigned.path("spec"))
            .isTrue();

        for (var cert : certificates()) {
            var name = cert.at("/metadata/name").asText();
            var live = life.object("certificate.cert-manager.io", name);
            assertThat(FakeCertManager.isReady(live)).as("Certificate %s Ready", name).isTrue();
            var secret = life.object("secret", cert.at("/spec/secretName").asText());
            assertThat(secret.path("type").asText()).isEqualTo("kubernetes.io/tls");
            assertThat(fieldNames(secret.path("data"))).containsExactlyInAnyOrder("tls.crt", "tls.key", "ca.crt");
            var leaf = x509(secret.at("/data/tls.crt"));
            var ca = x509(secret.at("/data/ca.crt"));
            try {
                leaf.verify(ca.getPublicKey());
            } catch (Exception e) {
                throw new AssertionError(name + "'s certificate is not signed by its ca.crt", e);
            }
        }

        // pulumi.com/waitFor held: every object the program makes wait for a Certificate was created only once the
        // Certificate was Ready (the API server's creationTimestamp against the Ready condition's time, in seconds).
        var readySince = new TreeMap<String, Instant>();
        for (var r : render.resources()) {
            if (r.type().equals(CERTIFICATE)) {
                var live = life.object("certificate.cert-manager.io", Stacks.at(r.inputs(), "metadata.name"));
                readySince.put(r.ref(), readyTime(live));
            }
        }
        var waited = new ArrayList<String>();
        for (var r : render.resources()) {
            if (!r.isKubernetesObject() || r.isProvider()) {
                continue;
            }
            var certs = r.dependencies().stream().filter(readySince::containsKey).toList();
            if (certs.isEmpty()) {
                continue;
            }
            var created = Instant.parse(life.live(tree(r.inputs())).at("/metadata/creationTimestamp").asText());
            for (var c : certs) {
                assertThat(created).as("%s created at %s, after %s was Ready at %s", r.ref(), created, c, readySince.get(c))
                    .isAfterOrEqualTo(readySince.get(c));
            }
            waited.add(r.name() + " (" + certs.size() + ")");
        }
        assertThat(waited).as("objects that wait for a Certificate").isNotEmpty();
        System.out.println("tls lifecycle: created after their Certificates were Ready: " + waited);
        var selfSignedState = life.stateInputs().get(ISSUER + "::mycache-tls-selfsigned-issuer");
        System.out.println("tls lifecycle: Issuer mycache-selfsigned: live spec " + selfSigned.path("spec")
            + ", state input spec " + selfSignedState.path("spec"));

        var problems = new ArrayList<String>();
        for (var m : RenderWriter.manifests(render)) {
            var manifest = tree(m);
            Subset.differences(manifest, life.live(manifest)).forEach(d -> problems.add(Lifecycle.id(manifest) + d));
        }
        assertThat(problems).as("live objects against the render").isEmpty();

        var state = life.stateInputs();
        assertThat(state.get("pulumi:providers:kubernetes::kubernetes").path("kubeconfig").asText())
            .isEqualTo(project.cluster.dir.resolve("kubeconfig").toString());
        for (var r : render.resources()) {
            var inputs = state.get(r.ref());
            if (inputs == null) {
                problems.add(r.ref() + ": not in the state");
                continue;
            }
            var expected = Lifecycle.withoutEngineAdditions(r.type(), tree(r.inputs()));
            var actual = Lifecycle.withoutEngineAdditions(r.type(), inputs);
            if (!expected.equals(actual)) {
                problems.add(r.ref() + ":\n  render " + expected + "\n  state  " + actual);
            }
        }
        assertThat(problems).as("state inputs against the render").isEmpty();
        assertThat(state.keySet()).containsExactlyInAnyOrderElementsOf(render.resources().stream().map(RecordedResource::ref).toList());
        for (var job : life.jobs()) {
            assertThat(job.at("/status/succeeded").asInt()).as("Job %s succeeded", job.at("/metadata/name").asText())
                .isEqualTo(1);
        }
    }

    @Test
    @Order(3)
    @DisplayName("no changes: the preview after up is clean")
    void noChanges() {
        var started = System.nanoTime();
        life.expectNoChanges("preview", "--expect-no-changes", "--diff");
        System.out.printf("tls lifecycle: no-change preview in %d ms%n", ms(started));
    }

    /**
     * A renewal as cert-manager makes one ({@code rotationPolicy: Always}): every leaf's Secret overwritten with a new
     * key and certificate of the same CA, server-side, by cert-manager's field manager. No pod is replaced (memcached
     * and the clients re-read their files; the reloader tells memcached to) and the program plans nothing.
     */
    @Test
    @Order(4)
    @DisplayName("a renewal of every leaf: the Secrets change, every pod keeps its UID, and the preview is clean")
    void aRenewalRestartsNothing() throws Exception {
        var pods = podUids();
        var before = new TreeMap<String, JsonNode>();
        for (var cert : certificates()) {
            if (!cert.at("/spec/isCA").asBoolean(false)) {
                var secretName = cert.at("/spec/secretName").asText();
                before.put(secretName, life.object("secret", secretName).get("data"));
            }
        }
        assertThat(before).as("the leaves' Secrets").hasSizeGreaterThanOrEqualTo(2);
        var started = System.nanoTime();
        var renewed = certManager.renewLeaves();
        System.out.printf("tls lifecycle: renewed %s in %d ms%n", renewed.keySet(), ms(started));
        assertThat(renewed.keySet()).containsExactlyInAnyOrderElementsOf(before.keySet());
        for (var e : before.entrySet()) {
            var secret = project.json(project.cluster.kubectl("get", "secret", e.getKey(), "-n", Lifecycle.NAMESPACE,
                "-o", "json", "--show-managed-fields").orFail());
            var data = secret.get("data");
            assertThat(FakeCertManager.sha256(FakeCertManager.decode(data.get("tls.crt")))).as("%s tls.crt", e.getKey())
                .isEqualTo(renewed.get(e.getKey()))
                .isNotEqualTo(FakeCertManager.sha256(FakeCertManager.decode(e.getValue().get("tls.crt"))));
            assertThat(data.get("tls.key")).as("%s tls.key: a new key", e.getKey()).isNotEqualTo(e.getValue().get("tls.key"));
            assertThat(data.get("ca.crt")).as("%s ca.crt: the same CA", e.getKey()).isEqualTo(e.getValue().get("ca.crt"));
            var managers = new ArrayList<String>();
            secret.at("/metadata/managedFields").forEach(f -> managers.add(f.path("manager").asText()));
            assertThat(managers).as("%s is written by cert-manager alone, never by Pulumi", e.getKey())
                .containsOnly(FakeCertManager.FIELD_MANAGER);
        }
        // Whatever would react to a Secret's change (nothing of the program's should) has time to.
        Thread.sleep(5_000);
        assertThat(podUids()).as("every pod of the namespace (name -> UID) after the renewal").isEqualTo(pods);
        for (var cert : certificates()) {
            assertThat(FakeCertManager.isReady(cert)).as("%s Ready after its renewal", cert.at("/metadata/name").asText()).isTrue();
        }
        life.expectNoChanges("preview", "--expect-no-changes", "--diff");
        assertThat(certManager.problems()).isEmpty();

        // Not asserted: what a refresh makes of the renewed Certificates' status (revision, notBefore, ...).
        var refresh = project.pulumi("refresh", "--yes", "--skip-preview", "--expect-no-changes", "--diff");
        System.out.println("tls lifecycle: refresh --expect-no-changes after the renewal: exit " + refresh.exitCode()
            + "\n" + refresh.stdout().lines().filter(l -> l.contains("cert-manager") || l.contains("~") || l.contains("Resources")
                || l.contains("change")).limit(40).reduce("", (a, b) -> a + "  | " + b + "\n"));
        life.expectNoChanges("preview", "--expect-no-changes", "--diff");
    }

    @Test
    @Order(20)
    @DisplayName("destroy: the state is empty and the API server holds none of the program's objects")
    void destroy() {
        var started = System.nanoTime();
        project.pulumi(Duration.ofMinutes(10), "destroy", "--yes", "--skip-preview").orFail();
        System.out.printf("tls lifecycle: destroy in %d ms%n", ms(started));
        assertThat(life.stateInputs()).isEmpty();
        var ns = project.cluster.kubectl("get", "namespace", Lifecycle.NAMESPACE, "--ignore-not-found", "-o", "name");
        assertThat(ns.orFail().stdout().strip()).isEmpty();
        var left = project.cluster.kubectl("get",
            "all,configmap,secret,networkpolicy,poddisruptionbudget,certificates.cert-manager.io,issuers.cert-manager.io",
            "-A", "-l", "app.kubernetes.io/part-of=memcached-gke", "-o", "name").orFail();
        assertThat(left.stdout().strip()).isEmpty();
        var certManagerObjects = project.cluster.kubectl("get", "certificates.cert-manager.io,issuers.cert-manager.io",
            "-A", "-o", "name").orFail();
        assertThat(certManagerObjects.stdout().strip()).isEmpty();
    }

    // -------------------------------------------------------------------------------------------------- helpers

    static List<JsonNode> certificates() {
        var r = project.cluster.kubectl("get", "certificates.cert-manager.io", "-n", Lifecycle.NAMESPACE, "-o", "json").orFail();
        var out = new ArrayList<JsonNode>();
        project.json(r).path("items").forEach(out::add);
        if (out.isEmpty()) {
            // Before up: the rendered ones.
            render.resources().stream().filter(x -> x.type().equals(CERTIFICATE)).forEach(x -> out.add(tree(x.inputs())));
        }
        return out;
    }

    static Instant readyTime(JsonNode object) {
        for (var c : object.at("/status/conditions")) {
            if (c.path("type").asText().equals("Ready") && c.path("status").asText().equals("True")) {
                return Instant.parse(c.path("lastTransitionTime").asText());
            }
        }
        throw new AssertionError(object.at("/metadata/name").asText() + " is not Ready");
    }

    static long count(String type) {
        return render.resources().stream().filter(r -> r.type().equals(type)).count();
    }

    static Map<String, String> podUids() {
        var list = project.json(project.cluster.kubectl("get", "pods", "-n", Lifecycle.NAMESPACE, "-o", "json").orFail());
        var out = new TreeMap<String, String>();
        list.path("items").forEach(p -> out.put(p.at("/metadata/name").asText(), p.at("/metadata/uid").asText()));
        return out;
    }

    static List<String> fieldNames(JsonNode node) {
        var out = new ArrayList<String>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    static X509Certificate x509(JsonNode base64) {
        try {
            var pem = FakeCertManager.decode(base64);
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new AssertionError("not a PEM certificate", e);
        }
    }

    /** A value as the JSON the render writes and reads back (so 5 is an int node, as in the state). */
    static JsonNode tree(Object value) {
        try {
            return PulumiProject.JSON.readTree(PulumiProject.JSON.writeValueAsString(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long ms(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }
}
