package io.maasops.security.testing.maas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maasops.security.maas.Entitlement;
import io.maasops.security.maas.MaasApiClient;
import io.maasops.security.maas.MaasApiException;
import io.maasops.security.maas.MaasApiKey;
import io.maasops.security.maas.UserGroup;
import io.maasops.security.testing.MaasRelease;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The MAAS API double answers as each release does: version, groups API from 3.8, seed, name limits. */
class MaasApiDoubleVersionContractTest {
    static List<MaasRelease> releases() {
        List<MaasRelease> out = new ArrayList<>(MaasRelease.SUPPORTED);
        out.add(MaasRelease.NEWEST_WITH_DEFECT);
        out.add(MaasRelease.MASTER);
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("releases")
    void answersAsTheRelease(MaasRelease release) throws Exception {
        try (MaasApiDouble maas = MaasApiDouble.start().release(release)) {
            MaasApiClient client = MaasApiClient.builder(maas.baseUrl(), MaasApiKey.parse(maas.apiKey()))
                    .requestTimeout(Duration.ofSeconds(5))
                    .build();
            assertThat(client.version().version()).isEqualTo(release.version());
            assertThat(client.supportsGroups()).isEqualTo(release.groupsApi());
            if (!release.groupsApi()) {
                assertThatThrownBy(() -> client.createGroup("ops", ""))
                        .satisfies(e -> assertThat(((MaasApiException) e).kind())
                                .isEqualTo(MaasApiException.Kind.GROUPS_API_UNSUPPORTED));
                return;
            }
            UserGroup users = client.listGroups().stream()
                    .filter(g -> g.name().equals("Users"))
                    .findFirst()
                    .orElseThrow();
            assertThat(client.listEntitlements(users.id()))
                    .extracting(Entitlement::entitlement)
                    .containsExactlyInAnyOrderElementsOf(release.usersSeed());
            client.createGroup("ops", "");
            assertThatThrownBy(() -> client.createGroup("ops", ""))
                    .as("a duplicate name is not a 400: MAAS answers 500")
                    .satisfies(e -> assertThat(((MaasApiException) e).status()).isEqualTo(500));
            client.createGroup("g".repeat(256), "");
            assertThatThrownBy(() -> client.createGroup("g".repeat(257), ""))
                    .satisfies(e -> assertThat(((MaasApiException) e).status()).isEqualTo(500));
        }
    }
}
