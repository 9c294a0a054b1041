package io.maasops.security.testing.maas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maasops.security.maas.Entitlement;
import io.maasops.security.maas.MaasApiClient;
import io.maasops.security.maas.MaasApiException;
import io.maasops.security.maas.MaasApiKey;
import io.maasops.security.maas.UserGroup;
import io.maasops.security.testing.MaasRelease;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
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
            UserGroup other = client.createGroup("other", "");
            assertThatThrownBy(() -> client.updateGroup(other.id(), "ops", null))
                    .as("renaming onto a taken name is the same 500 (usergroups.py update)")
                    .satisfies(e -> assertThat(((MaasApiException) e).status()).isEqualTo(500));
        }
    }

    /** maasserver/api/version.py, 3.3 … 3.8: anonymous, three keys, the short version, charset in the content type. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("releases")
    void versionAnswersExactlyAsMaas(MaasRelease release) throws Exception {
        try (MaasApiDouble maas = MaasApiDouble.start().release(release)) {
            HttpResponse<String> r = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(maas.baseUrl() + "/api/2.0/version/"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).contains("application/json; charset=utf-8");
            assertThat(r.body())
                    .as("json.dumps: Python's default separators")
                    .isEqualTo("{\"capabilities\": [\"networks-management\", \"static-ipaddresses\", "
                            + "\"ipv6-deployment-ubuntu\", \"devices-management\", \"storage-deployment-ubuntu\", "
                            + "\"network-deployment-ubuntu\", \"bridging-interface-ubuntu\", "
                            + "\"bridging-automatic-ubuntu\", \"authenticate-api\"], \"version\": \""
                            + release.version() + "\", \"subversion\": \"\"}");
        }
    }

    /**
     * The login view reports external authentication as MAAS fills it from its external-auth secret: the RBAC URL
     * plus /auth, or the Candid URL; with RBAC, 3.8 asks only is_superuser, so a group's entitlement grants nothing.
     */
    @Test
    void canonicalRbacShowsOnTheLoginViewAndOverridesEntitlementsOn38() throws Exception {
        try (MaasApiDouble maas = MaasApiDouble.start().release(MaasRelease.NEWEST)) {
            MaasApiClient admin = client(maas, maas.apiKey());
            assertThat(admin.externalAuthUrl()).isEmpty();
            String viewerKey = maas.addUser("viewer", false);
            UserGroup viewers = admin.createGroup("viewers", "");
            admin.addGroupMember(viewers.id(), "viewer");
            admin.addEntitlement(viewers.id(), new Entitlement("maas", 0, "can_view_identities"));
            MaasApiClient viewer = client(maas, viewerKey);
            assertThat(viewer.listGroups()).isNotEmpty();

            maas.canonicalRbac("https://rbac.example:5000/");
            assertThat(admin.externalAuthUrl()).contains("https://rbac.example:5000/auth");
            assertThatThrownBy(viewer::listGroups)
                    .satisfies(e -> assertThat(((MaasApiException) e).status()).isEqualTo(403))
                    .hasMessageContaining("The user should have permission 'can_view_identities'");
            assertThat(admin.listGroups()).as("superusers pass").isNotEmpty();

            maas.candid("https://candid.example/");
            assertThat(admin.externalAuthUrl()).contains("https://candid.example");
            assertThat(viewer.listGroups()).as("Candid alone: OpenFGA decides").isNotEmpty();
            maas.canonicalRbac(null);
            assertThat(admin.externalAuthUrl()).isEmpty();
        }
        try (MaasApiDouble master = MaasApiDouble.start().release(MaasRelease.MASTER)) {
            assertThatThrownBy(() -> master.canonicalRbac("https://rbac.example"))
                    .as("master removed Canonical RBAC")
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    static MaasApiClient client(MaasApiDouble maas, String key) throws Exception {
        return MaasApiClient.builder(maas.baseUrl(), MaasApiKey.parse(key))
                .requestTimeout(Duration.ofSeconds(5))
                .build();
    }
}
