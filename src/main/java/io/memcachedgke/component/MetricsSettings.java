package io.memcachedgke.component;

import com.pulumi.core.annotations.Import;
import java.util.List;
import java.util.Map;

/** The {@code MetricsSettings} argument type: its properties are the model's settings of the same path (docs/packages.md). */
public final class MetricsSettings {
    @Import(name = "exporters")
    private Boolean exporters;

    @Import(name = "podMonitoring")
    private Boolean podMonitoring;

    @Import(name = "serviceMonitor")
    private Boolean serviceMonitor;

    @Import(name = "interval")
    private String interval;

    @Import(name = "scraperNamespace")
    private String scraperNamespace;

    @Import(name = "scraperPodLabels")
    private Map<String, String> scraperPodLabels;

    @Import(name = "serviceMonitorLabels")
    private Map<String, String> serviceMonitorLabels;

    @Import(name = "alertRules")
    private Boolean alertRules;

    @Import(name = "dashboard")
    private Boolean dashboard;

    @Import(name = "hitRatioFloor")
    private Double hitRatioFloor;

    @Import(name = "runbookBase")
    private String runbookBase;

    @Import(name = "notificationEmails")
    private List<String> notificationEmails;

    @Import(name = "notificationTopics")
    private List<String> notificationTopics;

    MetricsSettings() {}
}
