package memcachedgke.smoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The generator itself; {@link SmokeScriptRunTest} runs what it generates. */
class SmokeScriptTest {

    @Test
    void theSameInputsGiveTheSameScriptAndHash() {
        assertThat(SmokeScript.of(60).text()).isEqualTo(SmokeScript.of(60).text());
        assertThat(SmokeScript.of(60).sha256()).isEqualTo(SmokeScript.of(60).sha256()).hasSize(64);
        assertThat(SmokeScript.of(61).sha256()).isNotEqualTo(SmokeScript.of(60).sha256());
    }

    @Test
    void theTypedInputsAreWrittenIntoTheScript() {
        var text = new SmokeScript(42, 4, 7, 900).text();
        assertThat(text).startsWith("#!/bin/sh\n")
            .contains("\nproxy_wait=42\n", "\nconnect_timeout=4\n", "\nreply_timeout=7\n", "\nkey_ttl=900\n");
        for (var env : List.of("MCROUTER_HOST", "MCROUTER_PORT", "MEMCACHED_SERVERS")) {
            assertThat(text).contains("[ -n \"${" + env + ":-}\" ] || fail \"" + env + " is not set\"");
        }
    }

    @Test
    void itIsPlainPosixShWithoutBashisms() {
        var text = SmokeScript.of(60).text();
        for (var bashism : List.of("[[", "function ", "local ", "$RANDOM", "<<<", "<(", "source ", "$'", "echo -e",
            "pipefail", "declare ", "let ", "${!", "&>")) {
            assertThat(text).as("bash-only construct %s", bashism).doesNotContain(bashism);
        }
        // == only inside awk programs, never in a shell test.
        assertThat(text).doesNotContainPattern("\\[ [^]]*==");
        // No here-documents (busybox may need a writable /tmp for them; the root filesystem is read-only).
        assertThat(text).doesNotContain("<<");
    }

    @Test
    void settingsBelowOneSecondAreRefused() {
        assertThatThrownBy(() -> new SmokeScript(0, 3, 5, 600)).isInstanceOf(IllegalArgumentException.class);
    }
}
