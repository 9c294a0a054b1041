package io.maasops.security.maasversion;

import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A MAAS version as a region host reports it, ordered as MAAS's own {@code MAASVersion} orders them
 * (src/provisioningserver/utils/version.py: alpha &lt; beta &lt; rc &lt; final). Read from the host, where the installation
 * is visible too: {@code snap list maas} prints {@code 3.5.4-16446-g.2a2f95a0f} (utilities/package-version:
 * VERSION-REVCOUNT-g.HASH), {@code dpkg-query -W -f='${Version}' maas-region-api} prints {@code 1:3.5.4-0ubuntu1}
 * (debian/changelog), MAAS's {@code short_version} prints {@code 3.8.0~beta6}; pyproject's {@code 3.8.0b6} form
 * is understood as well.
 */
public record MaasVersion(int major, int minor, int patch, Stage stage, int stageNumber)
        implements Comparable<MaasVersion> {

    /** Pre-release stage; FINAL sorts after every pre-release of the same number. */
    public enum Stage {
        ALPHA,
        BETA,
        RC,
        FINAL
    }

    private static final Pattern FORM =
            Pattern.compile("(?:\\d+:)?(\\d+)\\.(\\d+)(?:\\.(\\d+))?(?:~?(alpha|beta|rc|a|b)(\\d+))?(?:[-+~].*)?");
    private static final Comparator<MaasVersion> ORDER = Comparator.comparingInt(MaasVersion::major)
            .thenComparingInt(MaasVersion::minor)
            .thenComparingInt(MaasVersion::patch)
            .thenComparing(MaasVersion::stage)
            .thenComparingInt(MaasVersion::stageNumber);

    /** The version in any of the forms above; empty for anything else (never throws on remote text). */
    public static Optional<MaasVersion> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = FORM.matcher(text.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            Stage stage = m.group(4) == null
                    ? Stage.FINAL
                    : switch (m.group(4)) {
                        case "alpha", "a" -> Stage.ALPHA;
                        case "beta", "b" -> Stage.BETA;
                        default -> Stage.RC;
                    };
            return Optional.of(new MaasVersion(
                    Integer.parseInt(m.group(1)),
                    Integer.parseInt(m.group(2)),
                    m.group(3) == null ? 0 : Integer.parseInt(m.group(3)),
                    stage,
                    m.group(5) == null ? 0 : Integer.parseInt(m.group(5))));
        } catch (NumberFormatException e) {
            return Optional.empty(); // digits beyond int
        }
    }

    public static MaasVersion of(String text) {
        return parse(text).orElseThrow(() -> new IllegalArgumentException("not a MAAS version: " + text));
    }

    /** "3.5". */
    public String series() {
        return major + "." + minor;
    }

    public boolean atLeast(int major, int minor) {
        return this.major > major || (this.major == major && this.minor >= minor);
    }

    @Override
    public int compareTo(MaasVersion o) {
        return ORDER.compare(this, o);
    }

    /** As MAAS's short_version prints it: "3.5.4", "3.8.0~beta6". */
    @Override
    public String toString() {
        return major + "." + minor + "." + patch
                + (stage == Stage.FINAL ? "" : "~" + stage.name().toLowerCase(java.util.Locale.ROOT) + stageNumber);
    }
}
