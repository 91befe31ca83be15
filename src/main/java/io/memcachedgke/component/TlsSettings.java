package io.memcachedgke.component;

import com.pulumi.core.annotations.Import;

/** The {@code TlsSettings} argument type: its properties are the model's settings of the same path (docs/packages.md). */
public final class TlsSettings {
    @Import(name = "enabled")
    private Boolean enabled;

    @Import(name = "issuer")
    private String issuer;

    @Import(name = "issuerKind")
    private String issuerKind;

    @Import(name = "duration")
    private String duration;

    @Import(name = "renewBefore")
    private String renewBefore;

    @Import(name = "clientImage")
    private String clientImage;

    TlsSettings() {}
}
