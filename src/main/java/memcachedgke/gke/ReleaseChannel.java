package memcachedgke.gke;

import java.util.Arrays;
import java.util.List;

/** GKE release channels; every cluster of this program is enrolled in one, so it is upgraded for it. */
public enum ReleaseChannel {
    RAPID, REGULAR, STABLE;

    public static List<String> names() {
        return Arrays.stream(values()).map(Enum::name).toList();
    }
}
