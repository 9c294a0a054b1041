package io.maasops.security.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import io.maasops.security.rbac.GroupOwnership.Kind;
import org.junit.jupiter.api.Test;

class GroupOwnershipTest {

    @Test
    void theMarkNamesTheBinding() {
        String d = GroupOwnership.description("team-a", "ops");
        assertThat(d).isEqualTo("Managed by maas-security-operator: RoleBinding team-a/ops (do not edit)");
        assertThat(GroupOwnership.owner(d)).contains("team-a/ops");
        assertThat(GroupOwnership.judge(d, "team-a", "ops").kind()).isEqualTo(Kind.THIS_BINDING);
        assertThat(GroupOwnership.judge(d, "team-b", "ops"))
                .isEqualTo(new GroupOwnership.Verdict(Kind.OTHER_BINDING, "team-a/ops"));
    }

    @Test
    void unmarkedGroupsAreNotManaged() {
        for (String d : new String[] {
            null,
            "",
            "MAAS administrators",
            "Managed by maas-security-operator: RoleBinding",
            "Managed by maas-security-operator: RoleBinding ../x (do not edit)",
            " Managed by maas-security-operator: RoleBinding a/b"
        }) {
            assertThat(GroupOwnership.judge(d, "a", "b").kind())
                    .as(String.valueOf(d))
                    .isEqualTo(Kind.NOT_MANAGED);
        }
    }
}
