package io.memcachedgke.routing;

/**
 * The reply results the model uses, with upstream's ordering of how bad each is: {@code resultSeverity}
 * ({@code mcrouter/lib/McResUtil.h:15-62}). A result not named in its switch ({@code TOUCHED},
 * {@code FOUNDSTALE}, {@code NOTFOUNDHOT}) falls into {@code default} and is the worst (10).
 */
enum Result {
    OK(1), STORED(1), STALESTORED(1), EXISTS(1), DELETED(1), FOUND(1),
    WAITING(2),
    NOTFOUND(4), NOTSTORED(4),
    OOO(5), TIMEOUT(5), CONNECT_TIMEOUT(5), CONNECT_ERROR(5), BUSY(5), SHUTDOWN(5), RES_TRY_AGAIN(5), TKO(5),
    BAD_KEY(6), BAD_VALUE(6), ABORTED(6), DEADLINE_EXCEEDED(6), OVERLOADED(6),
    REMOTE_ERROR(7), UNKNOWN(7),
    LOCAL_ERROR(8),
    CLIENT_ERROR(9),
    TOUCHED(10), FOUNDSTALE(10), NOTFOUNDHOT(10);

    final int severity;

    Result(int severity) {
        this.severity = severity;
    }

    /** {@code worseThan(first, second)}: {@code McResUtil.h:239-241}, strictly greater severity. */
    boolean worseThan(Result other) {
        return severity > other.severity;
    }

    /** {@code isHitResult}: {@code McResUtil.h:204-207}, DELETED, FOUND or TOUCHED. */
    boolean isHit() {
        return this == DELETED || this == FOUND || this == TOUCHED;
    }

    /**
     * {@code isFailoverErrorResult}: {@code McResUtil.h:79-100}: BUSY, SHUTDOWN, TKO, RES_TRY_AGAIN, LOCAL_ERROR,
     * CONNECT_ERROR, CONNECT_TIMEOUT, TIMEOUT, REMOTE_ERROR, DEADLINE_EXCEEDED.
     */
    boolean isFailoverError() {
        return switch (this) {
            case BUSY, SHUTDOWN, TKO, RES_TRY_AGAIN, LOCAL_ERROR, CONNECT_ERROR, CONNECT_TIMEOUT, TIMEOUT,
                REMOTE_ERROR, DEADLINE_EXCEEDED -> true;
            default -> false;
        };
    }
}
