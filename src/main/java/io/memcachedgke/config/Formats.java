package io.memcachedgke.config;

import java.util.regex.Pattern;

/** The value formats the rule tables check against, written once. */
public final class Formats {
    private Formats() {}

    /** RFC 1123 label: what Kubernetes accepts as a namespace, a Service name or a DNS label. */
    public static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    public static final String DNS_LABEL_TEXT =
        "an RFC 1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters)";

    /**
     * A container image reference that names a tag (or digest) and is not ':latest': the pattern the policy pack checks
     * deployed images with too (one source, {@link SharedRules}).
     */
    public static final Pattern PINNED_IMAGE = Pattern.compile(SharedRules.pinnedImagePattern());
    public static final String PINNED_IMAGE_TEXT = SharedRules.pinnedImageText();

    /** A GCP region, e.g. us-central1. */
    public static final Pattern GCP_REGION = Pattern.compile(SharedRules.regionPattern());
    /** A GCP project id. */
    public static final Pattern GCP_PROJECT = Pattern.compile("[a-z][a-z0-9-]{4,28}[a-z0-9]");

    /** An IPv4 CIDR block with a valid address and prefix length. */
    public static boolean isIpv4Cidr(String s) {
        var m = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})").matcher(s);
        if (!m.matches()) {
            return false;
        }
        for (int i = 1; i <= 4; i++) {
            if (Integer.parseInt(m.group(i)) > 255) {
                return false;
            }
        }
        return Integer.parseInt(m.group(5)) <= 32;
    }

    /**
     * A Kubernetes label key: an optional DNS-subdomain prefix and '/', then a name of at most 63 characters,
     * alphanumeric at both ends, '-', '_' and '.' between (Kubernetes docs, "Labels and Selectors": syntax).
     */
    public static boolean isLabelKey(String key) {
        int slash = key.lastIndexOf('/');
        var name = slash < 0 ? key : key.substring(slash + 1);
        var prefix = slash < 0 ? "" : key.substring(0, slash);
        return LABEL_NAME.matcher(name).matches() && (slash < 0 || (prefix.length() <= 253
            && DNS_SUBDOMAIN.matcher(prefix).matches()));
    }

    /** A Kubernetes label value: empty, or at most 63 characters, alphanumeric at both ends, '-', '_' and '.' between. */
    public static boolean isLabelValue(String value) {
        return value.isEmpty() || LABEL_NAME.matcher(value).matches();
    }

    private static final Pattern LABEL_NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    /** 24-hour time "HH:MM", as GKE's daily maintenance window takes it. */
    public static final Pattern HOUR_MINUTE = Pattern.compile("([01][0-9]|2[0-3]):[0-5][0-9]");
}
