package io.memcachedgke.render;

import com.pulumi.test.Mocks;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The cloud's side of an offline run: every resource's state is its inputs, plus fixed placeholders
 * for what only GCP knows (a cluster's endpoint and CA, a service account's email, resource ids), so
 * two renders of a stack are byte-identical.
 */
public final class RenderMocks implements Mocks {
    /** TEST-NET-3 (RFC 5737): an address that is never a real control plane. */
    public static final String ENDPOINT = "203.0.113.10";
    /** Base64 of a PEM header with no certificate in it. */
    public static final String CA_DATA = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCnBsYWNlaG9sZGVyCi0tLS0tRU5EIENFUlRJRklDQVRFLS0tLS0K";

    /** A project number only GCP knows; the render's placeholder. */
    public static final String PROJECT_NUMBER = "123456789012";

    /** The one function the program calls: the project's number, for the Connect gateway URL. */
    @Override
    public CompletableFuture<Map<String, Object>> callAsync(CallArgs args) {
        if ("gcp:organizations/getProject:getProject".equals(args.token)) {
            return CompletableFuture.completedFuture(Map.of("number", PROJECT_NUMBER));
        }
        return CompletableFuture.failedFuture(new UnsupportedOperationException("no mock for " + args.token));
    }

    @Override
    public CompletableFuture<ResourceResult> newResourceAsync(ResourceArgs args) {
        var state = new LinkedHashMap<String, Object>(args.inputs == null ? Map.of() : args.inputs);
        var project = String.valueOf(state.getOrDefault("project", StackFiles.PLACEHOLDER_PROJECT));
        String id = args.name + "-id";
        switch (String.valueOf(args.type)) {
            case "gcp:container/cluster:Cluster" -> {
                state.put("endpoint", ENDPOINT);
                state.put("masterAuth", Map.of("clusterCaCertificate", CA_DATA,
                    "clientCertificateConfig", Map.of("issueClientCertificate", false)));
                id = "projects/" + project + "/locations/" + state.get("location") + "/clusters/" + state.get("name");
            }
            case "gcp:serviceaccount/account:Account" -> {
                var email = state.get("accountId") + "@" + project + ".iam.gserviceaccount.com";
                state.put("email", email);
                id = "projects/" + project + "/serviceAccounts/" + email;
            }
            case "gcp:compute/network:Network" -> id = "projects/" + project + "/global/networks/" + state.get("name");
            case "gcp:artifactregistry/repository:Repository" ->
                id = "projects/" + project + "/locations/" + state.get("location") + "/repositories/" + state.get("repositoryId");
            case "gcp:gkehub/membership:Membership" ->
                id = "projects/" + project + "/locations/global/memberships/" + state.get("membershipId");
            case "gcp:compute/subnetwork:Subnetwork" ->
                id = "projects/" + project + "/regions/" + state.get("region") + "/subnetworks/" + state.get("name");
            default -> { }
        }
        return CompletableFuture.completedFuture(ResourceResult.of(Optional.of(id), state));
    }
}
