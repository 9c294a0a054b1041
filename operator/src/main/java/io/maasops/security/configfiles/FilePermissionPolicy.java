package io.maasops.security.configfiles;

import io.maasops.security.api.v1alpha1.ConfigFilesSpec;
import io.maasops.security.regionhost.FileStatus;
import java.util.Locale;

/**
 * The wanted owner, group and mode of MAAS's configuration files (MAAS's security docs: 640, readable
 * by group {@code maas}, writable only by root; on deb the owner is MAAS's service user, see
 * docs/config-files.md), and the judgement of one observed file against it.
 *
 * @param mode four octal digits, e.g. "0640"
 */
public record FilePermissionPolicy(String owner, String group, String mode) {

    /** The seeds' wording (root:maas 0640); the operator's defaults come from maasversion.MaasBehaviour (deb: maas:maas). */
    public static final FilePermissionPolicy DOCUMENTED = new FilePermissionPolicy("root", "maas", "0640");

    public FilePermissionPolicy {
        mode = normaliseMode(mode);
    }

    /**
     * The policy a (validated) spec asks for; unset fields take what MAAS itself lives with on the controller's
     * version and installation ({@code maasversion.MaasBehaviour}'s row for regiond.conf: deb {@code maas:maas},
     * snap {@code root:maas}), which is {@code maasDefault}.
     */
    public static FilePermissionPolicy from(ConfigFilesSpec spec, FilePermissionPolicy maasDefault) {
        if (spec == null) {
            return maasDefault;
        }
        return new FilePermissionPolicy(
                spec.getOwner() == null ? maasDefault.owner() : spec.getOwner(),
                spec.getGroup() == null ? maasDefault.group() : spec.getGroup(),
                spec.getMode() == null ? maasDefault.mode() : spec.getMode());
    }

    public FilePermissionPolicy withGroup(String other) {
        return new FilePermissionPolicy(owner, other, mode);
    }

    /** "0640" for "640" or "0640". */
    public static String normaliseMode(String mode) {
        return String.format(Locale.ROOT, "%04o", Integer.parseInt(mode, 8));
    }

    /** What is wrong with one file, if anything. A path that is not a regular file is its own state. */
    public FileAudit audit(FileStatus observed) {
        if (!observed.regular()) {
            return new FileAudit(observed, false, false, false);
        }
        boolean ownerWrong = !owner.equals(observed.owner());
        boolean groupWrong = !group.equals(observed.group());
        boolean modeWrong = Integer.parseInt(observed.mode(), 8) != Integer.parseInt(mode, 8);
        return new FileAudit(observed, ownerWrong, groupWrong, modeWrong);
    }

    /** "0640 root:maas", the form events and messages use. */
    public String describe() {
        return mode + " " + owner + ":" + group;
    }

    /** "0644 root:root" for a file as seen, "missing", or the type of what is there instead ("symbolic link"). */
    public static String describe(FileStatus file) {
        if (!file.exists()) {
            return "missing";
        }
        return file.regular()
                ? file.mode() + " " + file.owner() + ":" + file.group()
                : file.type().text();
    }

    /**
     * One file judged against the policy. A missing file, and a path that is not a regular file (a symbolic
     * link, a directory ...), are neither compliant nor fixable.
     */
    public record FileAudit(FileStatus observed, boolean ownerWrong, boolean groupWrong, boolean modeWrong) {

        public String path() {
            return observed.path();
        }

        public boolean missing() {
            return !observed.exists();
        }

        /** Exists but is not a regular file: never changed (the operator never follows a symbolic link). */
        public boolean notRegular() {
            return observed.exists() && !observed.regular();
        }

        public boolean compliant() {
            return observed.regular() && !ownerWrong && !groupWrong && !modeWrong;
        }

        /** A regular file whose owner, group or mode differs from the policy. */
        public boolean drifted() {
            return observed.regular() && !compliant();
        }
    }
}
