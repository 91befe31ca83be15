package io.memcachedgke.gke;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A kubeconfig for a GKE cluster that authenticates the way {@code gcloud container clusters
 * get-credentials} does: through the {@code gke-gcloud-auth-plugin} exec plugin, so no credential is
 * stored in it and it works for whoever runs {@code pulumi up}. Built as a tree and written by a YAML
 * library, so no value can break the document.
 */
public final class Kubeconfig {
    private Kubeconfig() {}

    public static final String AUTH_PLUGIN = "gke-gcloud-auth-plugin";
    public static final String EXEC_API_VERSION = "client.authentication.k8s.io/v1beta1";

    /** Loaded when a kubeconfig is written: stacks without a cluster of their own never load YAML support. */
    private static final class Yaml {
        static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
    }

    /** The context name gcloud would use: {@code gke_<project>_<location>_<cluster>}. */
    public static String contextName(String project, String location, String cluster) {
        return "gke_" + project + "_" + location + "_" + cluster;
    }

    /**
     * @param endpoint the control plane's IP or host name (no scheme)
     * @param caData   the cluster CA certificate, base64 PEM, as GKE returns it
     */
    public static String render(String project, String location, String cluster, String endpoint, String caData) {
        var name = contextName(project, location, cluster);
        var clusterEntry = new LinkedHashMap<String, Object>();
        clusterEntry.put("certificate-authority-data", caData);
        clusterEntry.put("server", "https://" + endpoint);
        return document(name, clusterEntry);
    }

    /** The kubeconfig of one cluster entry, one context and one user authenticating with the auth plugin. */
    private static String document(String name, Map<String, Object> clusterEntry) {

        var exec = new LinkedHashMap<String, Object>();
        exec.put("apiVersion", EXEC_API_VERSION);
        exec.put("command", AUTH_PLUGIN);
        exec.put("installHint", "Install gke-gcloud-auth-plugin for kubectl and Pulumi: "
            + "gcloud components install gke-gcloud-auth-plugin");
        exec.put("provideClusterInfo", true);
        exec.put("interactiveMode", "IfAvailable");

        var context = new LinkedHashMap<String, Object>();
        context.put("cluster", name);
        context.put("user", name);

        var root = new LinkedHashMap<String, Object>();
        root.put("apiVersion", "v1");
        root.put("kind", "Config");
        root.put("clusters", List.of(pair("name", name, "cluster", clusterEntry)));
        root.put("contexts", List.of(pair("name", name, "context", context)));
        root.put("current-context", name);
        root.put("preferences", Map.of());
        root.put("users", List.of(pair("name", name, "user", Map.of("exec", exec))));
        try {
            return Yaml.MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A kubeconfig that reaches the cluster through Connect gateway: the fleet membership's gateway URL (project
     * number, {@code gkeMemberships}: google-github-actions/get-gke-credentials src/client.ts), no CA data (the
     * gateway terminates TLS), the same auth plugin for the caller's Google credentials.
     */
    public static String gateway(String project, String location, String cluster, String projectNumber, String membership) {
        var name = "connectgateway_" + project + "_global_" + membership;
        var clusterEntry = new LinkedHashMap<String, Object>();
        clusterEntry.put("server", "https://connectgateway.googleapis.com/v1/projects/" + projectNumber
            + "/locations/global/gkeMemberships/" + membership);
        return document(name, clusterEntry);
    }

    /** A two-entry map that keeps its order, so the same cluster always gives the same bytes. */
    private static Map<String, Object> pair(String k1, Object v1, String k2, Object v2) {
        var m = new LinkedHashMap<String, Object>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }
}
