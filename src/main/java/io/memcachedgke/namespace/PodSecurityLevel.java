package io.memcachedgke.namespace;

/** Pod Security Admission levels (Kubernetes Pod Security Standards). */
public enum PodSecurityLevel {
    PRIVILEGED("privileged"), BASELINE("baseline"), RESTRICTED("restricted");

    private final String label;

    PodSecurityLevel(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
