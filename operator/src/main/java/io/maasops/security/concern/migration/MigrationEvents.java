package io.maasops.security.concern.migration;

import io.maasops.security.api.v1alpha1.MigrationPhase;
import io.maasops.security.api.v1alpha1.MigrationStatus;
import io.maasops.security.concern.Notice;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The Events a change of status.migration stands for (pure): an attempt started (a new startedAt), and how it ended.
 * The controller emits them once the status holding that outcome is written.
 */
public final class MigrationEvents {

    static final String STARTED = "MigrationStarted";
    static final String SUCCEEDED = "SecretsMigrated";
    static final String FAILED = "MigrationFailed";

    private MigrationEvents() {}

    public static List<Notice> transitions(MigrationStatus before, MigrationStatus after) {
        if (after == null) {
            return List.of();
        }
        List<Notice> out = new ArrayList<>();
        boolean newAttempt = after.getStartedAt() != null
                && (before == null || !after.getStartedAt().equals(before.getStartedAt()));
        if (newAttempt && after.getRegion() != null) {
            out.add(Notice.normal(STARTED, "running `maas config-vault migrate` on " + after.getRegion()));
        }
        MigrationPhase was = before == null ? null : before.getPhase();
        if (after.getPhase() == MigrationPhase.Succeeded && (was != MigrationPhase.Succeeded || newAttempt)) {
            out.add(Notice.normal(SUCCEEDED, after.getMessage()));
        }
        if (after.getPhase() == MigrationPhase.Failed
                && (was != MigrationPhase.Failed
                        || newAttempt
                        || !Objects.equals(after.getMessage(), before.getMessage()))) {
            out.add(Notice.warning(FAILED, after.getMessage()));
        }
        return out;
    }
}
