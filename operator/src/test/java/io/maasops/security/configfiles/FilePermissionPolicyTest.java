package io.maasops.security.configfiles;

import static org.assertj.core.api.Assertions.assertThat;

import io.maasops.security.api.v1alpha1.ConfigFilesSpec;
import io.maasops.security.regionhost.FileStatus;
import org.junit.jupiter.api.Test;

class FilePermissionPolicyTest {

    private final FilePermissionPolicy policy = FilePermissionPolicy.DOCUMENTED;

    @Test
    void defaultsAreTheDocumentedHardeningTarget() {
        assertThat(FilePermissionPolicy.from(new ConfigFilesSpec(), FilePermissionPolicy.DOCUMENTED))
                .isEqualTo(new FilePermissionPolicy("root", "maas", "0640"));
        assertThat(FilePermissionPolicy.from(null, FilePermissionPolicy.DOCUMENTED)
                        .describe())
                .isEqualTo("0640 root:maas");
    }

    @Test
    void modeIsNormalisedToFourOctalDigits() {
        ConfigFilesSpec spec = new ConfigFilesSpec();
        spec.setMode("600");
        assertThat(FilePermissionPolicy.from(spec, FilePermissionPolicy.DOCUMENTED)
                        .mode())
                .isEqualTo("0600");
    }

    @Test
    void rootMaas0640IsCompliant() {
        var audit = policy.audit(new FileStatus("/etc/maas/regiond.conf", true, "0640", "root", "maas"));
        assertThat(audit.compliant()).isTrue();
        assertThat(audit.drifted()).isFalse();
    }

    @Test
    void debPackageOwnershipIsDriftInOwnerOnly() {
        var audit = policy.audit(new FileStatus("/etc/maas/regiond.conf", true, "0640", "maas", "maas"));
        assertThat(audit.drifted()).isTrue();
        assertThat(audit.ownerWrong()).isTrue();
        assertThat(audit.groupWrong()).isFalse();
        assertThat(audit.modeWrong()).isFalse();
    }

    @Test
    void snapWorldReadableRootFileIsDriftInGroupAndMode() {
        var audit = policy.audit(new FileStatus("/var/snap/maas/current/regiond.conf", true, "0644", "root", "root"));
        assertThat(audit.ownerWrong()).isFalse();
        assertThat(audit.groupWrong()).isTrue();
        assertThat(audit.modeWrong()).isTrue();
    }

    @Test
    void specialBitsAndTighterModesAreStillDrift() {
        assertThat(policy.audit(new FileStatus("/f", true, "2640", "root", "maas"))
                        .modeWrong())
                .isTrue();
        assertThat(policy.audit(new FileStatus("/f", true, "0600", "root", "maas"))
                        .modeWrong())
                .isTrue();
    }

    @Test
    void numericIdsTheHostCannotNameAreDrift() {
        assertThat(policy.audit(new FileStatus("/f", true, "0640", "4242", "4343"))
                        .drifted())
                .isTrue();
    }

    @Test
    void missingFileIsNeitherCompliantNorDrifted() {
        var audit = policy.audit(FileStatus.missing("/var/lib/maas/secret"));
        assertThat(audit.missing()).isTrue();
        assertThat(audit.compliant()).isFalse();
        assertThat(audit.drifted()).isFalse();
        assertThat(FilePermissionPolicy.describe(audit.observed())).isEqualTo("missing");
    }

    @Test
    void aPathThatIsNotARegularFileIsItsOwnStateNeverDrift() {
        for (FileStatus.FileType type : FileStatus.FileType.values()) {
            if (type == FileStatus.FileType.REGULAR) {
                continue;
            }
            // even with the wanted owner, group and mode: never compliant, never fixed
            var audit = policy.audit(new FileStatus("/etc/maas/regiond.conf", true, "0640", "root", "maas", type));
            assertThat(audit.notRegular()).as(type.text()).isTrue();
            assertThat(audit.compliant()).as(type.text()).isFalse();
            assertThat(audit.drifted()).as(type.text()).isFalse();
            assertThat(audit.missing()).as(type.text()).isFalse();
        }
        assertThat(FilePermissionPolicy.describe(
                        new FileStatus("/l", true, "0777", "maas", "maas", FileStatus.FileType.SYMLINK)))
                .isEqualTo("symbolic link");
        assertThat(policy.audit(FileStatus.missing("/x")).notRegular()).isFalse();
    }
}
