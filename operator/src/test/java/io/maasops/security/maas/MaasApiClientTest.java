package io.maasops.security.maas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maasops.security.testing.maas.MaasApiDouble;
import io.maasops.security.testing.tls.TestCertificates;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class MaasApiClientTest {

    private MaasApiDouble maas;
    private MaasApiClient client;

    @BeforeEach
    void start() throws Exception {
        maas = MaasApiDouble.start();
        client = clientFor(maas.apiKey());
    }

    @AfterEach
    void stop() {
        maas.close();
    }

    private MaasApiClient clientFor(String key) throws Exception {
        return MaasApiClient.builder(maas.baseUrl(), MaasApiKey.parse(key))
                .requestTimeout(Duration.ofSeconds(5))
                .build();
    }

    private static MaasApiException.Kind kindOf(Throwable t) {
        return ((MaasApiException) t).kind();
    }

    @Test
    void signedRequestsAreAcceptedAndIdentifyTheUser() throws Exception {
        assertThat(client.whoami().username()).isEqualTo("admin");
        assertThat(client.whoami().superuser()).isTrue();
        assertThat(client.version().version()).isEqualTo(MaasApiDouble.VERSION);
        assertThat(maas.requestLog()).allSatisfy(r -> assertThat(r.username()).isEqualTo("admin"));
    }

    @Test
    void aWrongKeyIs401Unauthorized() throws Exception {
        String[] parts = maas.apiKey().split(":");
        MaasApiClient wrongSecret = clientFor(parts[0] + ":" + parts[1] + ":wrongsecret");
        assertThatThrownBy(wrongSecret::listNotifications)
                .satisfies(e -> assertThat(kindOf(e)).isEqualTo(MaasApiException.Kind.UNAUTHORIZED))
                .satisfies(e -> assertThat(((MaasApiException) e).status()).isEqualTo(401))
                .hasMessageContaining("HTTP 401");
        MaasApiClient unknownToken = clientFor("nope:nope:nope");
        assertThatThrownBy(unknownToken::whoami)
                .satisfies(e -> assertThat(kindOf(e)).isEqualTo(MaasApiException.Kind.UNAUTHORIZED));
    }

    @Test
    void notificationsCrudWithMaasQuirks() throws Exception {
        MaasNotification created = client.createNotification(
                NotificationRequest.forAdmins("test-ident", "info", "Hello {name}", Map.of("name", "world")));
        assertThat(created.ident()).isEqualTo("test-ident");
        assertThat(created.admins()).isTrue();
        assertThat(created.users()).isFalse();
        assertThat(created.dismissable()).isTrue();
        assertThat(created.context()).containsEntry("name", "world");
        assertThat(created.message()).isEqualTo("Hello {name}");
        assertThat(created.resourceUri()).isEqualTo("/MAAS/api/2.0/notifications/" + created.id() + "/");
        assertThat(client.listNotifications())
                .extracting(MaasNotification::ident)
                .containsExactly("test-ident");
        assertThat(client.getNotification(created.id()).category()).isEqualTo("info");

        MaasNotification updated = client.updateNotification(
                created.id(), new NotificationRequest("Bye", Map.of(), "warning", null, null, null, null, null));
        assertThat(updated.message()).isEqualTo("Bye");
        assertThat(updated.category()).isEqualTo("warning");
        assertThat(updated.ident()).isEqualTo("test-ident");

        client.dismissNotification(created.id());
        assertThat(client.listNotifications()).isEmpty();
        assertThat(maas.notificationByIdent("test-ident").orElseThrow().dismissedBy())
                .containsExactly("admin");
        // a dismissed notification can still be read by id
        assertThat(client.getNotification(created.id()).id()).isEqualTo(created.id());

        client.deleteNotification(created.id());
        assertThat(maas.notifications()).isEmpty();
        assertThatThrownBy(() -> client.getNotification(created.id()))
                .satisfies(e -> assertThat(kindOf(e)).isEqualTo(MaasApiException.Kind.NOT_FOUND));
    }

    @Test
    void identIsUniqueAndAtMost40Characters() throws Exception {
        client.createNotification(NotificationRequest.forAdmins("dup", "info", "m", Map.of()));
        assertThatThrownBy(() -> client.createNotification(NotificationRequest.forAdmins("dup", "info", "m", Map.of())))
                .satisfies(e -> assertThat(kindOf(e)).isEqualTo(MaasApiException.Kind.BAD_REQUEST))
                .satisfies(e -> assertThat(((MaasApiException) e).maasMessage())
                        .isEqualTo("{\"ident\": [\"Notification with this Ident already exists.\"]}"));
        String ident41 = "x".repeat(41);
        assertThatThrownBy(
                        () -> client.createNotification(NotificationRequest.forAdmins(ident41, "info", "m", Map.of())))
                .satisfies(e -> assertThat(((MaasApiException) e).maasMessage()).contains("at most 40 characters"));
        assertThat(client.createNotification(NotificationRequest.forAdmins("y".repeat(40), "info", "m", Map.of()))
                        .ident())
                .hasSize(40);
    }

    @Test
    void dismissableIsSentAsLowercaseAndOnlyTrueMeansTrue() throws Exception {
        MaasNotification notDismissable =
                client.createNotification(new NotificationRequest("m", null, "info", "nd", null, false, true, false));
        assertThat(notDismissable.dismissable()).isFalse();
        assertThat(MaasApiClient.notificationForm(NotificationRequest.forAdmins("i", "info", "m", Map.of())))
                .containsEntry("dismissable", "true")
                .containsEntry("admins", "true")
                .containsEntry("users", "false");
        assertThatThrownBy(() -> client.dismissNotification(notDismissable.id()))
                .satisfies(e -> assertThat(kindOf(e)).isEqualTo(MaasApiException.Kind.FORBIDDEN));
    }

    @Test
    void dismissalIsPerUserAndHidesOnlyForThatUser() throws Exception {
        String otherKey = maas.addUser("alice", true);
        MaasApiClient alice = clientFor(otherKey);
        MaasNotification n =
                client.createNotification(NotificationRequest.forAdmins("per-user", "info", "m", Map.of()));
        alice.dismissNotification(n.id());
        assertThat(alice.listNotifications()).isEmpty();
        assertThat(client.listNotifications()).extracting(MaasNotification::id).containsExactly(n.id());
    }

    @Test
    void onlyAdminsCreateNotifications() throws Exception {
        MaasApiClient bob = clientFor(maas.addUser("bob", false));
        assertThatThrownBy(() -> bob.createNotification(NotificationRequest.forAdmins("x", "info", "m", Map.of())))
                .satisfies(e -> assertThat(kindOf(e)).isEqualTo(MaasApiException.Kind.FORBIDDEN));
        // GET users/ is any user's (User.objects.all(), MAAS's own users included: maasserver/api/users.py)
        assertThat(bob.listUsers())
                .extracting(MaasUser::username, MaasUser::superuser)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("admin", true),
                        org.assertj.core.groups.Tuple.tuple("bob", false),
                        org.assertj.core.groups.Tuple.tuple("MAAS", true),
                        org.assertj.core.groups.Tuple.tuple("maas-init-node", false));
    }

    @Test
    void anyUserReadsASettingOnlyAdminsWriteIt() throws Exception {
        // maasserver/api/maas.py: get_config has no permission check (3.3 … 3.8), set_config needs one
        MaasApiClient carol = clientFor(maas.addUser("carol", false));
        assertThat(carol.getConfig("tls_cert_expiration_notification_enabled").asBoolean())
                .isFalse();
        assertThatThrownBy(() -> carol.setConfig("tls_cert_expiration_notification_enabled", "true"))
                .satisfies(e -> assertThat(kindOf(e)).isEqualTo(MaasApiException.Kind.FORBIDDEN));
    }

    @Test
    void resourcePoolsUseTheSingularPath() throws Exception {
        ResourcePool prod = client.createResourcePool("production", "prod machines");
        assertThat(client.listResourcePools()).extracting(ResourcePool::name).containsExactly("default", "production");
        assertThat(client.findResourcePool("production")).contains(prod);
        assertThat(client.findResourcePool(Integer.toString(prod.id()))).contains(prod);
        assertThat(client.findResourcePool("missing")).isEmpty();
        assertThatThrownBy(() -> client.createResourcePool("production", ""))
                .satisfies(e -> assertThat(((MaasApiException) e).maasMessage())
                        .isEqualTo("{\"name\": [\"Resource pool with this Name already exists.\"]}"));
        client.deleteResourcePool(prod.id());
        assertThat(client.findResourcePool("production")).isEmpty();
        assertThat(maas.requestLog())
                .anySatisfy(r -> assertThat(r.path()).isEqualTo("/MAAS/api/2.0/resourcepool/production/"));
    }

    @Test
    void groupsMembersAndEntitlements() throws Exception {
        assertThat(client.supportsGroups()).isTrue();
        assertThat(client.listGroups()).extracting(UserGroup::name).containsExactly("Administrators", "Users");
        int admins = maas.groupId("Administrators").orElseThrow();
        assertThat(client.listEntitlements(admins)).contains(new Entitlement("maas", 0, "can_edit_identities"));
        assertThat(client.listGroupMembers(admins))
                .extracting(GroupMember::username)
                .containsExactly("admin");

        maas.addUser("carol", false);
        int pool = maas.addPool("production", "");
        UserGroup ops = client.createGroup("maasops-operators", "managed by maas-security-operator");
        assertThat(client.getGroup(ops.id())).isEqualTo(ops);
        client.addGroupMember(ops.id(), "carol");
        assertThatThrownBy(() -> client.addGroupMember(ops.id(), "carol"))
                .satisfies(e -> assertThat(kindOf(e)).isEqualTo(MaasApiException.Kind.CONFLICT))
                .hasMessageContaining("User `carol` is already a member of the group with ID `" + ops.id() + "`.");
        assertThatThrownBy(() -> client.addGroupMember(ops.id(), "nobody"))
                .satisfies(e -> assertThat(kindOf(e)).isEqualTo(MaasApiException.Kind.NOT_FOUND))
                .hasMessageContaining("User 'nobody' not found.");
        assertThat(client.listGroupMembers(ops.id())).containsExactly(new GroupMember("carol", "carol@example.com"));

        Entitlement edit = new Entitlement("pool", pool, "can_edit_machines");
        client.addEntitlement(ops.id(), edit);
        client.addEntitlement(ops.id(), edit); // an upsert
        client.addEntitlement(ops.id(), new Entitlement("maas", 0, "can_view_global_entities"));
        assertThat(maas.entitlementsOf("maasops-operators"))
                .containsExactly("pool:" + pool + ":can_edit_machines", "maas:0:can_view_global_entities");
        assertThatThrownBy(() -> client.addEntitlement(ops.id(), new Entitlement("pool", 999, "can_edit_machines")))
                .satisfies(e -> assertThat(kindOf(e)).isEqualTo(MaasApiException.Kind.NOT_FOUND))
                .hasMessageContaining("ResourcePool with id 999 not found.");
        assertThatThrownBy(
                        () -> client.addEntitlement(ops.id(), new Entitlement("maas", 1, "can_view_global_entities")))
                .satisfies(e -> assertThat(kindOf(e)).isEqualTo(MaasApiException.Kind.BAD_REQUEST))
                .hasMessageContaining("resource_id must be 0 for 'maas' type.");
        assertThatThrownBy(() -> client.addEntitlement(ops.id(), new Entitlement("pool", pool, "can_edit_identities")))
                .satisfies(e -> assertThat(kindOf(e)).isEqualTo(MaasApiException.Kind.BAD_REQUEST));

        client.removeEntitlement(ops.id(), edit);
        client.removeGroupMember(ops.id(), "carol");
        assertThat(client.listEntitlements(ops.id()))
                .containsExactly(new Entitlement("maas", 0, "can_view_global_entities"));
        assertThat(client.listGroupMembers(ops.id())).isEmpty();

        assertThat(client.updateGroup(ops.id(), null, "new description").description())
                .isEqualTo("new description");
        client.deleteGroup(ops.id());
        assertThatThrownBy(() -> client.getGroup(ops.id()))
                .satisfies(e -> assertThat(kindOf(e)).isEqualTo(MaasApiException.Kind.NOT_FOUND))
                .hasMessageContaining("UserGroup with id " + ops.id() + " not found.");
    }

    @Test
    void aMaasWithoutGroupsApiIsUnsupportedNotNotFound() throws Exception {
        maas.groupsApiEnabled(false);
        assertThat(client.supportsGroups()).isFalse();
        assertThatThrownBy(() -> client.listGroupMembers(1))
                .satisfies(e -> assertThat(kindOf(e)).isEqualTo(MaasApiException.Kind.GROUPS_API_UNSUPPORTED));
        assertThatThrownBy(() -> client.createGroup("x", ""))
                .satisfies(e -> assertThat(kindOf(e)).isEqualTo(MaasApiException.Kind.GROUPS_API_UNSUPPORTED));
    }

    @Test
    void nonAdminsCannotEditGroups() throws Exception {
        MaasApiClient dave = clientFor(maas.addUser("dave", false));
        assertThatThrownBy(() -> dave.createGroup("x", ""))
                .satisfies(e -> assertThat(kindOf(e)).isEqualTo(MaasApiException.Kind.FORBIDDEN));
    }

    @Test
    void getAndSetConfig() throws Exception {
        assertThat(client.getConfig("tls_cert_expiration_notification_enabled").asBoolean())
                .isFalse();
        client.setConfig("tls_cert_expiration_notification_enabled", "true");
        client.setConfig("tls_cert_expiration_notification_interval", "45");
        assertThat(client.getConfig("tls_cert_expiration_notification_enabled").asBoolean())
                .isTrue();
        assertThat(client.getConfig("tls_cert_expiration_notification_interval").asInt())
                .isEqualTo(45);
        assertThat(client.getConfig("maas_name").asText()).isEqualTo("maas");
        assertThatThrownBy(() -> client.setConfig("tls_cert_expiration_notification_interval", "91"))
                .satisfies(e -> assertThat(kindOf(e)).isEqualTo(MaasApiException.Kind.BAD_REQUEST))
                .hasMessageContaining("less than or equal to 90");
        assertThat(maas.config("tls_cert_expiration_notification_interval")).isEqualTo(45);
    }

    @Test
    void injectedServerErrorsAreClassifiedAndCarryMaasText() throws Exception {
        maas.injectFailure("notifications/", 503, "Service Unavailable: MAAS is restarting", 1);
        assertThatThrownBy(client::listNotifications)
                .satisfies(e -> assertThat(kindOf(e)).isEqualTo(MaasApiException.Kind.SERVER_ERROR))
                .satisfies(e -> assertThat(((MaasApiException) e).status()).isEqualTo(503))
                .hasMessage(
                        "MAAS API GET notifications/ failed with HTTP 503: Service Unavailable: MAAS is restarting");
        assertThat(client.listNotifications()).isEmpty();
    }

    @Test
    void unreachableMaasIsClassified() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        MaasApiClient c = MaasApiClient.builder(
                        URI.create("http://127.0.0.1:" + port + "/MAAS/"), MaasApiKey.parse(maas.apiKey()))
                .connectTimeout(Duration.ofSeconds(2))
                .build();
        assertThatThrownBy(c::version)
                .satisfies(e -> assertThat(kindOf(e)).isEqualTo(MaasApiException.Kind.UNREACHABLE));
    }

    @Test
    void httpsIsVerifiedByDefaultAndWithAGivenCa() throws Exception {
        Instant now = Instant.now();
        TestCertificates.Issued ca =
                TestCertificates.ca("MAAS CA", now.minus(1, ChronoUnit.DAYS), now.plus(365, ChronoUnit.DAYS));
        TestCertificates.Issued leaf = TestCertificates.leaf(
                ca, "127.0.0.1", now.minus(1, ChronoUnit.DAYS), now.plus(30, ChronoUnit.DAYS), "127.0.0.1");
        try (MaasApiDouble https = MaasApiDouble.startHttps(leaf.serverContext())) {
            MaasApiKey key = MaasApiKey.parse(https.apiKey());
            MaasApiClient defaultTrust =
                    MaasApiClient.builder(https.baseUrl(), key).build();
            assertThatThrownBy(defaultTrust::whoami)
                    .satisfies(e -> assertThat(kindOf(e)).isEqualTo(MaasApiException.Kind.TLS));
            MaasApiClient withCa = MaasApiClient.builder(https.baseUrl(), key)
                    .caPem(ca.certificatePem().getBytes(StandardCharsets.US_ASCII))
                    .build();
            assertThat(withCa.whoami().username()).isEqualTo("admin");
            assertThat(withCa.apiRoot().getScheme()).isEqualTo("https");
        }
    }

    @Test
    void apiRootIsDerivedFromTheMaasUrl() throws Exception {
        MaasApiKey k = MaasApiKey.parse("a:b:c");
        assertThat(MaasApiClient.builder(URI.create("https://maas.example:5443/MAAS"), k)
                        .build()
                        .apiRoot())
                .hasToString("https://maas.example:5443/MAAS/api/2.0/");
        assertThat(MaasApiClient.builder(URI.create("https://maas.example:5443/MAAS/"), k)
                        .build()
                        .apiRoot())
                .hasToString("https://maas.example:5443/MAAS/api/2.0/");
        assertThatThrownBy(() ->
                        MaasApiClient.builder(URI.create("ftp://x/MAAS"), k).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(List.of()).isEmpty();
    }
}
