package io.memcachedgke.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.memcachedgke.tools.ResizeProgress.Block;
import io.memcachedgke.tools.ResizeProgress.State;
import io.memcachedgke.tools.ResizeProgress.Step;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Every point a resize can be interrupted at, and what running the command again does there. */
class ResizeProgressTest {
    static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    static final Duration START_IN = Duration.ofMinutes(12);
    static final Duration WINDOW = Duration.ofHours(1);
    static final String CMD = "scripts/resize.sh local --to 4";

    static Step next(State s) {
        return ResizeProgress.next(s, 4, NOW, START_IN, WINDOW, CMD);
    }

    static Block block(Instant start, boolean finish) {
        return new Block(3, start, WINDOW, finish);
    }

    @Test
    void aDeployedStackWithoutABlockDeclaresTheMoveAheadOfNow() {
        assertThat(next(new State(3, null, "a", "a")))
            .isEqualTo(new Step.Declare(3, 4, Instant.parse("2026-12-07T10:12:00Z"), WINDOW));
    }

    @Test
    void theStartIsWholeSeconds() {
        var step = ResizeProgress.next(new State(3, null, "a", "a"), 4, NOW.plusMillis(1500), START_IN, WINDOW, CMD);
        assertThat(((Step.Declare) step).start()).isEqualTo(Instant.parse("2026-12-07T10:12:01Z"));
    }

    @Test
    void killedDuringTheDeclaringUpItAppliesTheDeclaredBlockAgain() {
        var b = block(NOW.plus(START_IN), false);
        assertThat(next(new State(4, b, "moving", "plain"))).isInstanceOf(Step.Apply.class);
    }

    @Test
    void beforeTheWindowEndsItWaitsUntilTheEnd() {
        var b = block(NOW.minus(Duration.ofMinutes(10)), false);
        assertThat(next(new State(4, b, "moving", "moving"))).isEqualTo(new Step.Wait(b.start().plus(WINDOW)));
        var ahead = block(NOW.plus(Duration.ofMinutes(5)), false);
        assertThat(next(new State(4, ahead, "moving", "moving"))).isEqualTo(new Step.Wait(ahead.start().plus(WINDOW)));
    }

    @Test
    void onceTheWindowHasPassedItFinishes() {
        var b = block(NOW.minus(WINDOW), false);
        assertThat(next(new State(4, b, "moving", "moving"))).isEqualTo(new Step.Finish());
        var later = block(NOW.minus(Duration.ofHours(5)), false);
        assertThat(next(new State(4, later, "moving", "moving"))).isEqualTo(new Step.Finish());
    }

    @Test
    void killedDuringTheFinishingUpItAppliesItAgainThenRemovesTheBlock() {
        var b = block(NOW.minus(Duration.ofHours(2)), true);
        assertThat(next(new State(4, b, "finishing", "moving"))).isInstanceOf(Step.Apply.class);
        assertThat(next(new State(4, b, "finishing", "finishing"))).isEqualTo(new Step.Remove());
    }

    @Test
    void killedDuringTheLastUpItAppliesItAgainThenIsDone() {
        assertThat(next(new State(4, null, "plain4", "finishing"))).isInstanceOf(Step.Apply.class);
        assertThat(next(new State(4, null, "plain4", "plain4"))).isInstanceOf(Step.Done.class);
    }

    @Test
    void aSecondResizeWhileOneIsUnderWayIsRefusedNamingTheOneToFinish() {
        var b = block(Instant.parse("2026-12-07T09:00:00Z"), false);
        var step = ResizeProgress.next(new State(4, b, "m", "m"), 5, NOW, START_IN, WINDOW, "scripts/resize.sh local --to 5");
        assertThat(step).isEqualTo(new Step.Refuse("a resize from 3 to 4 shards is under way (keys switch "
            + "2026-12-07T09:00:00Z – 2026-12-07T10:00:00Z); finish it first with `scripts/resize.sh local --to 4`"));
    }

    @Test
    void undeployedChangesAreRefusedNotDeployedBehindTheUsersBack() {
        var step = next(new State(3, null, "edited", "deployed"));
        assertThat(step).isInstanceOf(Step.Refuse.class);
        assertThat(((Step.Refuse) step).line()).startsWith("the stack file has changes that are not deployed")
            .endsWith("then run `" + CMD + "` again");
    }

    @Test
    void aStackNeverDeployedIsRefused() {
        assertThat(next(new State(3, null, "a", null))).isInstanceOf(Step.Refuse.class);
    }

    @Test
    void theShareOfTheWindowGone() {
        var b = block(NOW, false);
        assertThat(ResizeProgress.switched(b, NOW.minusSeconds(1))).isZero();
        assertThat(ResizeProgress.switched(b, NOW.plus(Duration.ofMinutes(15)))).isEqualTo(0.25);
        assertThat(ResizeProgress.switched(b, NOW.plus(Duration.ofHours(2)))).isEqualTo(1.0);
    }

    @Test
    void timeLeft() {
        assertThat(ResizeProgress.left(Duration.ofSeconds(3723))).isEqualTo("1h 02m 03s");
        assertThat(ResizeProgress.left(Duration.ofSeconds(245))).isEqualTo("4m 05s");
        assertThat(ResizeProgress.left(Duration.ofSeconds(6))).isEqualTo("6s");
        assertThat(ResizeProgress.left(Duration.ofSeconds(-3))).isEqualTo("0s");
    }
}
