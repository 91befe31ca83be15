package io.memcachedgke.routing;

/** A reply: its result and, for a hit, the value and its cas unique. */
record Reply(Result result, String value, long cas) {

    static Reply of(Result result) {
        return new Reply(result, null, 0);
    }

    /**
     * {@code createReply(DefaultReply, req)}: {@code mcrouter/lib/Reply.h:32-44}, NOTSTORED for an update,
     * NOTFOUND for anything else.
     */
    static Reply defaultFor(Request req) {
        return of(req.updateLike() ? Result.NOTSTORED : Result.NOTFOUND);
    }

    boolean hit() {
        return result.isHit();
    }
}
