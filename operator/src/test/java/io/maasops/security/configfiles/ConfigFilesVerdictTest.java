package io.maasops.security.configfiles;

import static org.assertj.core.api.Assertions.assertThat;

import io.maasops.security.api.v1alpha1.ConfigFileStatus;
import io.maasops.security.configfiles.ConfigFilesVerdict.MissingAccount;
import io.maasops.security.regionhost.FileStatus;
import io.maasops.security.status.ConditionValue;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigFilesVerdictTest {

    private final FilePermissionPolicy policy = FilePermissionPolicy.DOCUMENTED;

    private FileResult seen(String path, String mode, String owner, String group) {
        return FileResult.unchanged(policy.audit(new FileStatus(path, true, mode, owner, group)));
    }

    private FileResult fixedFrom(String path, String mode, String owner, String group) {
        return FileResult.fixed(
                policy.audit(new FileStatus(path, true, mode, owner, group)),
                policy.audit(new FileStatus(path, true, "0640", "root", "maas")));
    }

    private FileResult missing(String path) {
        return FileResult.unchanged(policy.audit(FileStatus.missing(path)));
    }

    private ConditionValue verdict(boolean enforce, List<FileResult> results, MissingAccount... accounts) {
        return ConfigFilesVerdict.condition(policy, enforce, results, List.of(accounts), "region-a");
    }

    @Test
    void allCompliant() {
        ConditionValue c =
                verdict(true, List.of(seen("/a", "0640", "root", "maas"), seen("/b", "0640", "root", "maas")));
        assertThat(c.ok()).isTrue();
        assertThat(c.reason()).isEqualTo("Compliant");
        assertThat(c.message()).isEqualTo("all 2 file(s) are 0640 root:maas");
    }

    @Test
    void fixedIsTrueAndNamesTheFiles() {
        ConditionValue c =
                verdict(true, List.of(fixedFrom("/a", "0644", "root", "root"), seen("/b", "0640", "root", "maas")));
        assertThat(c.ok()).isTrue();
        assertThat(c.reason()).isEqualTo("Fixed");
        assertThat(c.message()).isEqualTo("fixed 1 of 2 file(s) to 0640 root:maas: /a");
    }

    @Test
    void auditOnlyDriftIsFalseAndSaysNothingChanged() {
        ConditionValue c = verdict(false, List.of(seen("/etc/maas/regiond.conf", "0640", "maas", "maas")));
        assertThat(c.ok()).isFalse();
        assertThat(c.reason()).isEqualTo("Drift");
        assertThat(c.message())
                .isEqualTo(
                        "1 of 1 file(s) not 0640 root:maas (audit only, nothing changed): /etc/maas/regiond.conf is 0640 maas:maas");
    }

    @Test
    void missingFileIsItsOwnState() {
        ConditionValue c = verdict(true, List.of(seen("/a", "0640", "root", "maas"), missing("/var/lib/maas/secret")));
        assertThat(c.ok()).isFalse();
        assertThat(c.reason()).isEqualTo("FileMissing");
        assertThat(c.message()).startsWith("missing on region-a: /var/lib/maas/secret (nothing to secure");
    }

    @Test
    void driftOutranksMissing() {
        assertThat(verdict(false, List.of(seen("/a", "0644", "root", "root"), missing("/b")))
                        .reason())
                .isEqualTo("Drift");
    }

    @Test
    void missingGroupOutranksEverythingAndSaysWhatToDo() {
        ConditionValue c = verdict(
                true, List.of(seen("/a", "0644", "root", "root"), missing("/b")), new MissingAccount(true, "maas"));
        assertThat(c.reason()).isEqualTo("GroupNotFound");
        assertThat(c.message())
                .isEqualTo("group 'maas' does not exist on region-a; create it or change spec.configFiles.group."
                        + " Nothing was changed; not 0640 root:maas: /a is 0644 root:root");
    }

    @Test
    void missingUserIsUserNotFound() {
        ConditionValue c = verdict(
                true,
                List.of(seen("/a", "0644", "root", "root")),
                new MissingAccount(false, "maasadm"),
                new MissingAccount(true, "maasgrp"));
        assertThat(c.reason()).isEqualTo("UserNotFound");
        assertThat(c.message())
                .startsWith("user 'maasadm' and group 'maasgrp' do not exist on region-a; create it or change"
                        + " spec.configFiles.owner or spec.configFiles.group.");
    }

    @Test
    void failedFixIsCommandFailedWithTheHostsMessage() {
        var audit = policy.audit(new FileStatus("/a", true, "0644", "root", "root"));
        ConditionValue c =
                verdict(true, List.of(FileResult.fixFailed(audit, "chmod /a failed: Operation not permitted")));
        assertThat(c.reason()).isEqualTo("CommandFailed");
        assertThat(c.message()).contains("/a (chmod /a failed: Operation not permitted)");
    }

    @Test
    void longListsAreCut() {
        List<FileResult> many = java.util.stream.IntStream.range(0, 8)
                .mapToObj(i -> seen("/f" + i, "0644", "root", "root"))
                .toList();
        assertThat(verdict(false, many).message()).endsWith("/f4 is 0644 root:root and 3 more");
    }

    @Test
    void statusEntryRecordsFixTimeAndKeepsThePreviousOne() {
        ConfigFileStatus fixed =
                ConfigFilesVerdict.statusEntry(fixedFrom("/a", "0644", "root", "root"), null, "2026-11-23T15:00:00Z");
        assertThat(fixed.getFixedAt()).isEqualTo("2026-11-23T15:00:00Z");
        assertThat(fixed.getCompliant()).isTrue();
        assertThat(fixed.getMode()).isEqualTo("0640");
        assertThat(fixed.getOwner()).isEqualTo("root");
        assertThat(fixed.getGroup()).isEqualTo("maas");

        ConfigFileStatus later =
                ConfigFilesVerdict.statusEntry(seen("/a", "0640", "root", "maas"), fixed, "2026-11-23T15:10:00Z");
        assertThat(later.getFixedAt()).isEqualTo("2026-11-23T15:00:00Z");

        ConfigFileStatus gone = ConfigFilesVerdict.statusEntry(missing("/a"), later, "2026-11-23T15:20:00Z");
        assertThat(gone.getExists()).isFalse();
        assertThat(gone.getCompliant()).isFalse();
        assertThat(gone.getMode()).isNull();
    }

    @Test
    void driftIsNewsOnlyWhenItDiffersFromThePreviousCheckOrTheSpecChanged() {
        FileResult drift = seen("/a", "0644", "root", "root");
        ConfigFileStatus previous = ConfigFilesVerdict.statusEntry(drift, null, "t");
        FileStatus same = drift.current().observed();
        assertThat(ConfigFilesVerdict.isNewDrift(null, same, false)).isTrue();
        assertThat(ConfigFilesVerdict.isNewDrift(previous, same, false)).isFalse();
        assertThat(ConfigFilesVerdict.isNewDrift(previous, same, true)).isTrue();
        assertThat(ConfigFilesVerdict.isNewDrift(previous, new FileStatus("/a", true, "0666", "root", "root"), false))
                .isTrue();
        ConfigFileStatus wasCompliant = ConfigFilesVerdict.statusEntry(seen("/a", "0640", "root", "maas"), null, "t");
        assertThat(ConfigFilesVerdict.isNewDrift(wasCompliant, same, false)).isTrue();
    }

    @Test
    void missingIsNewsOnce() {
        ConfigFileStatus gone = ConfigFilesVerdict.statusEntry(missing("/a"), null, "t");
        assertThat(ConfigFilesVerdict.isNewlyMissing(null, false)).isTrue();
        assertThat(ConfigFilesVerdict.isNewlyMissing(gone, false)).isFalse();
    }

    @Test
    void nonCompliantCountsDriftedAndMissing() {
        assertThat(ConfigFilesVerdict.nonCompliant(List.of(
                        seen("/a", "0640", "root", "maas"),
                        seen("/b", "0644", "root", "root"),
                        missing("/c"),
                        fixedFrom("/d", "0644", "root", "root"))))
                .isEqualTo(2);
    }

    private FileResult link(String path) {
        return FileResult.unchanged(
                policy.audit(new FileStatus(path, true, "0777", "maas", "maas", FileStatus.FileType.SYMLINK)));
    }

    @Test
    void aSymbolicLinkIsNamedFirstAndNeverCountsAsCompliant() {
        ConditionValue c = verdict(
                true,
                List.of(
                        link("/etc/maas/regiond.conf"),
                        fixedFrom("/b", "0644", "root", "root"),
                        seen("/c", "0640", "maas", "maas"),
                        missing("/d")),
                new MissingAccount(true, "maas"));
        assertThat(c.ok()).isFalse();
        assertThat(c.reason()).isEqualTo("NotARegularFile");
        assertThat(c.message())
                .isEqualTo(
                        "left alone on region-a: /etc/maas/regiond.conf is a symbolic link (the operator"
                                + " never follows links). Put the regular file back, or remove the path from spec.configFiles.paths; fixed /b");
        FileResult dir = FileResult.unchanged(
                policy.audit(new FileStatus("/e", true, "0755", "root", "root", FileStatus.FileType.DIRECTORY)));
        assertThat(verdict(true, List.of(dir)).message())
                .contains("/e is a directory (the operator changes regular files only)");
        assertThat(ConfigFilesVerdict.nonCompliant(List.of(link("/a"), seen("/c", "0640", "root", "maas"))))
                .isEqualTo(1);
    }

    @Test
    void aSymbolicLinkStatusEntryHasItsTypeAndOwnerButNoMode() {
        ConfigFileStatus e =
                ConfigFilesVerdict.statusEntry(link("/etc/maas/regiond.conf"), null, "2026-01-01T00:00:00Z");
        assertThat(e.getExists()).isTrue();
        assertThat(e.getFileType()).isEqualTo("symbolic link");
        assertThat(e.getMode()).isNull();
        assertThat(e.getOwner()).isEqualTo("maas");
        assertThat(e.getCompliant()).isFalse();
        assertThat(e.getFixedAt()).isNull();
        ConfigFileStatus regular =
                ConfigFilesVerdict.statusEntry(seen("/a", "0640", "root", "maas"), null, "2026-01-01T00:00:00Z");
        assertThat(regular.getFileType()).isNull();
        // news once per type: the same link again is not, a link where a file was (or after a spec change) is
        FileStatus observed = link("/a").current().observed();
        assertThat(ConfigFilesVerdict.isNewlyNotRegular(e, observed, false)).isFalse();
        assertThat(ConfigFilesVerdict.isNewlyNotRegular(e, observed, true)).isTrue();
        assertThat(ConfigFilesVerdict.isNewlyNotRegular(regular, observed, false))
                .isTrue();
        assertThat(ConfigFilesVerdict.isNewlyNotRegular(null, observed, false)).isTrue();
    }
}
