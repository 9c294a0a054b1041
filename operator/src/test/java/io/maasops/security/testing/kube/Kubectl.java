package io.maasops.security.testing.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/** The real kubectl the tests check the doubles with (.ci/run installs it on a machine that lacks it). */
public final class Kubectl {

    private Kubectl() {}

    /**
     * kubectl from the PATH. Without it the calling test class is aborted, saying what is then not tested (to
     * stderr too); in CI a missing kubectl is a failure, not a skip.
     *
     * @param notTested what goes untested without kubectl, e.g. "the double's watch is NOT tested with it"
     */
    public static Path required(String notTested) {
        Optional<Path> found = onPath("kubectl");
        if (found.isEmpty()) {
            String why = "kubectl is not on the PATH: " + notTested;
            System.err.println("WARNING: " + why);
            assertThat(System.getenv("CI")).as(why).isNull();
            Assumptions.abort(why);
        }
        return found.get();
    }

    static Optional<Path> onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
