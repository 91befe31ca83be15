package io.memcachedgke.metrics;


/** The API versions of the monitoring objects the metrics tier declares. */
public final class Monitoring {
    private Monitoring() {}

    public static final String GMP_API_VERSION = "monitoring.googleapis.com/v1";
    public static final String PROMETHEUS_OPERATOR_API_VERSION = "monitoring.coreos.com/v1";
}
