package io.maasops.security.concern.certificate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.maasops.security.api.v1alpha1.CertificateState;
import io.maasops.security.api.v1alpha1.CertificateStatus;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.api.v1alpha1.TlsSecretRef;
import io.maasops.security.api.v1alpha1.TlsSpec;
import io.maasops.security.api.v1alpha1.VaultIntegration;
import io.maasops.security.controller.EventSources;
import io.maasops.security.maas.CertificateNotificationIdents;
import io.maasops.security.maas.CertificateReminderNotifier;
import io.maasops.security.status.Conditions;
import io.maasops.security.testing.MaasTestbed;
import io.maasops.security.testing.kube.OperatorExtension;
import io.maasops.security.testing.maas.MaasApiDouble.StoredNotification;
import io.maasops.security.testing.tls.LocalTlsServer;
import io.maasops.security.testing.tls.TestCertificates;
import io.maasops.security.tls.CertificateMetrics;
import io.maasops.security.tls.CertificateStateChange;
import io.micrometer.core.instrument.Gauge;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Flow 5 end to end: the real operator against the Kubernetes API double, the MAAS API double and a
 * local TLS server, with the operator's clock moved by hand.
 *
 * <p>How a check is triggered: metadata-only changes to the MaasRegion do not reconcile it (JOSDK is
 * generation-aware), so {@link #poke()} annotates the VaultIntegration, whose informer maps to its
 * regions. A changed certificate Secret labelled {@code security.maasops.io/watched=true} triggers a
 * check by itself (the renewal step relies on that).
 */
@Timeout(90)
class CertificatePartTest {

    @RegisterExtension
    static final OperatorExtension OPERATOR = new OperatorExtension(true);

    static final String REGION = "region-a";
    static final String INTEGRATION = "maas";
    static final String TLS_SECRET = "maas-tls";

    static MaasTestbed testbed;
    static final AtomicInteger pokes = new AtomicInteger();

    @BeforeAll
    static void startTestbed() {
        testbed = MaasTestbed.start(1);
    }

    @AfterAll
    static void stopTestbed() {
        if (testbed != null) {
            testbed.close();
        }
    }

    @BeforeEach
    void integration() {
        testbed.applySecrets(OPERATOR.client(), ns());
        OPERATOR.client()
                .resources(VaultIntegration.class)
                .inNamespace(ns())
                .resource(testbed.integration(INTEGRATION, ns()))
                .create();
    }

    @Test
    void validExpiringExpiredRenewedWithOneEventPerChangeAndMaasNotifications() {
        Instant start = OPERATOR.clock().instant();
        Instant notAfter = start.plus(Duration.ofDays(60)).plusSeconds(3600);
        tlsSecret(TestCertificates.selfSigned(
                "maas.example", start.minus(Duration.ofDays(300)), notAfter, "maas.example"));
        CertificateNotificationIdents idents = CertificateNotificationIdents.forRegion(ns() + "/" + REGION);

        createRegion(tls -> {
            tls.setCertificateSecretRef(secretRef());
            tls.setNotifyMaas(true);
        });

        // valid: condition True, nothing said anywhere
        awaitCondition(c -> "Valid".equals(c.getReason()));
        MaasRegion r = region();
        assertThat(condition(r).getStatus()).isEqualTo("True");
        assertThat(condition(r).getMessage()).isEqualTo("certificate expires in 60 days");
        assertThat(r.getStatus().getCertificate().getState()).isEqualTo(CertificateState.Valid);
        assertThat(r.getStatus().getCertificate().getDaysRemaining()).isEqualTo(60);
        assertThat(r.getStatus().getCertificate().getSource()).isEqualTo("secret");
        assertThat(r.getStatus().getCertificate().getSubject()).isEqualTo("CN=maas.example");
        assertThat(r.getStatus().getCertificate().getNotAfter())
                .isEqualTo(notAfter.truncatedTo(ChronoUnit.SECONDS).toString());
        assertThat(r.getStatus().getCertificates()).hasSize(1);
        assertThat(r.getStatus().getCertificateSecretSha256()).hasSize(64);
        assertThat(certificateEvents()).isEmpty();
        assertThat(ours()).isEmpty();
        assertThat(gauge(CertificateMetrics.EXPIRY, "secret")).isEqualTo((double) notAfter.getEpochSecond());

        // 25 days left: Expiring, one Warning event, one reminder in MAAS
        OPERATOR.clock().advance(Duration.ofDays(35));
        poke();
        awaitCondition(c -> "Expiring".equals(c.getReason()));
        assertThat(condition(region()).getStatus()).isEqualTo("False");
        assertThat(condition(region()).getMessage()).isEqualTo("certificate expires in 25 days");
        awaitEvents(CertificateStateChange.REASON_EXPIRING, 1);
        Event warning = certificateEvents().get(0);
        assertThat(warning.getType()).isEqualTo("Warning");
        assertThat(warning.getMessage()).isEqualTo("Secret maas-tls: certificate expires in 25 days");
        StoredNotification reminder =
                testbed.api().notificationByIdent(idents.reminder()).orElseThrow();
        assertThat(reminder.context()).containsEntry("days", 25).containsEntry("region", REGION);
        assertThat(reminder.category()).isEqualTo("info");
        assertThat(reminder.admins()).isTrue();
        assertThat(reminder.dismissable()).isTrue();
        assertThat(region().getStatus().getMaasNotificationIds().getReminder()).isEqualTo(reminder.id());
        assertThat(gauge(CertificateMetrics.EXPIRY, "secret")).isEqualTo((double) notAfter.getEpochSecond());

        // an administrator and the operator's own MAAS user dismiss it; a day later it is updated in
        // place (the id kept in status finds it although MAAS no longer lists it to the operator)
        testbed.api().addUser("alice", true);
        testbed.api().dismissAs("alice", reminder.id());
        testbed.api().dismissAs(testbed.api().adminUsername(), reminder.id());
        OPERATOR.clock().advance(Duration.ofDays(1));
        poke();
        awaitCondition(c -> "certificate expires in 24 days".equals(c.getMessage()));
        StoredNotification updated =
                testbed.api().notificationByIdent(idents.reminder()).orElseThrow();
        assertThat(updated.id()).isEqualTo(reminder.id());
        assertThat(updated.context()).containsEntry("days", 24);
        assertThat(updated.dismissedBy())
                .containsExactlyInAnyOrder("alice", testbed.api().adminUsername());
        assertThat(ours()).hasSize(1);
        // a check within the interval does nothing at all
        OPERATOR.clock().advance(Duration.ofHours(1));
        int requests = testbed.api().requestLog().size();
        double reconciles = regionReconciles();
        poke();
        await().atMost(Duration.ofSeconds(10)).until(() -> regionReconciles() > reconciles);
        assertThat(testbed.api().requestLog()).hasSize(requests);
        assertThat(certificateEvents()).hasSize(1);

        // under 24 h left: Expired; the reminder goes, a new (undismissed) expired notice appears
        OPERATOR.clock().set(notAfter.minus(Duration.ofHours(12)));
        poke();
        awaitCondition(c -> "Expired".equals(c.getReason()));
        assertThat(condition(region()).getMessage()).isEqualTo("certificate has expired");
        awaitEvents(CertificateStateChange.REASON_EXPIRED, 1);
        assertThat(certificateEvents()).hasSize(2);
        assertThat(testbed.api().notificationByIdent(idents.reminder())).isEmpty();
        StoredNotification expired =
                testbed.api().notificationByIdent(idents.expired()).orElseThrow();
        assertThat(expired.id()).isNotEqualTo(reminder.id());
        assertThat(expired.category()).isEqualTo("warning");
        assertThat(expired.message()).isEqualTo(CertificateReminderNotifier.EXPIRED_MESSAGE);
        assertThat(expired.dismissedBy()).isEmpty();
        assertThat(region().getStatus().getMaasNotificationIds().getReminder()).isNull();
        assertThat(region().getStatus().getMaasNotificationIds().getExpired()).isEqualTo(expired.id());

        // still expired 12 h later: no new event, same notice
        OPERATOR.clock().advance(Duration.ofHours(13));
        poke();
        awaitChecked();
        assertThat(certificateEvents()).hasSize(2);
        assertThat(ours()).extracting(StoredNotification::id).containsExactly(expired.id());

        // renewed: the labelled Secret's change alone triggers the check; one Normal event, notices removed
        Instant renewedNotAfter =
                OPERATOR.clock().instant().plus(Duration.ofDays(90)).plusSeconds(3600);
        tlsSecret(TestCertificates.selfSigned(
                "maas.example", OPERATOR.clock().instant(), renewedNotAfter, "maas.example"));
        awaitCondition(c -> "Valid".equals(c.getReason()));
        assertThat(condition(region()).getMessage()).isEqualTo("certificate expires in 90 days");
        awaitEvents(CertificateStateChange.REASON_VALID, 1);
        assertThat(certificateEvents())
                .extracting(Event::getReason)
                .containsExactlyInAnyOrder(
                        CertificateStateChange.REASON_EXPIRING,
                        CertificateStateChange.REASON_EXPIRED,
                        CertificateStateChange.REASON_VALID);
        assertThat(certificateEvents())
                .filteredOn(e -> e.getReason().equals(CertificateStateChange.REASON_VALID))
                .extracting(Event::getType)
                .containsExactly("Normal");
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(ours()).isEmpty());
        assertThat(region().getStatus().getMaasNotificationIds()).isNull();

        // tls removed: condition, status and metric series go
        OPERATOR.client()
                .resources(MaasRegion.class)
                .inNamespace(ns())
                .withName(REGION)
                .edit(m -> {
                    m.getSpec().setTls(null);
                    return m;
                });
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            MaasRegion m = region();
            assertThat(Conditions.find(m.getStatus().getConditions(), CertificateConcern.CONDITION))
                    .isEmpty();
            assertThat(m.getStatus().getCertificate()).isNull();
            assertThat(m.getStatus().getCertificateCheckedAt()).isNull();
        });
        assertThat(OPERATOR.registry()
                        .find(CertificateMetrics.EXPIRY)
                        .tag("namespace", ns())
                        .gauge())
                .isNull();
    }

    @Test
    void liveEndpointServedByALocalTlsServerIsCheckedAndReportedUntrusted() throws Exception {
        Instant now = OPERATOR.clock().instant();
        var served = TestCertificates.selfSigned(
                "maas.local",
                now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(10)).plusSeconds(600),
                "127.0.0.1");
        try (LocalTlsServer server = LocalTlsServer.serving(served)) {
            createRegion(tls -> {
                tls.setEndpoint("127.0.0.1:" + server.port());
                tls.setNotifyMaas(false);
            });
            awaitCondition(c -> "Expiring".equals(c.getReason()));
            MaasRegion r = region();
            assertThat(condition(r).getMessage()).isEqualTo("certificate expires in 10 days");
            CertificateStatus endpoint = r.getStatus().getCertificates().get(0);
            assertThat(r.getStatus().getCertificates()).hasSize(1);
            assertThat(endpoint.getSource()).isEqualTo("endpoint");
            assertThat(endpoint.getSubject()).isEqualTo("CN=maas.local");
            assertThat(endpoint.getDaysRemaining()).isEqualTo(10);
            // trust is reported apart from expiry: a self-signed certificate is not in the JDK trust store
            assertThat(endpoint.getTrusted()).isFalse();
            assertThat(endpoint.getMessage()).startsWith("not trusted: ");
            assertThat(r.getStatus().getCertificate().getSource()).isEqualTo("endpoint");
            awaitEvents(CertificateStateChange.REASON_EXPIRING, 1);
            assertThat(certificateEvents().get(0).getMessage())
                    .isEqualTo("endpoint 127.0.0.1:" + server.port() + ": certificate expires in 10 days");
            assertThat(gauge(CertificateMetrics.EXPIRY, "endpoint")).isEqualTo((double)
                    now.plus(Duration.ofDays(10)).plusSeconds(600).getEpochSecond());
            assertThat(ours()).isEmpty();
        }
    }

    @Test
    void bothSourcesAreReportedSeparatelyAndAnUnreachableEndpointIsItsOwnState() throws Exception {
        Instant now = OPERATOR.clock().instant();
        tlsSecret(TestCertificates.selfSigned(
                "maas.example", now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(200)), "maas.example"));
        int closedPort;
        try (var probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        createRegion(tls -> {
            tls.setCertificateSecretRef(secretRef());
            tls.setEndpoint("127.0.0.1:" + closedPort);
            tls.setNotifyMaas(false);
        });
        awaitCondition(c -> CertificateConcern.REASON_UNREACHABLE.equals(c.getReason()));
        MaasRegion r = region();
        assertThat(condition(r).getStatus()).isEqualTo("False");
        assertThat(condition(r).getMessage())
                .contains("endpoint 127.0.0.1:" + closedPort)
                .contains("secret: certificate expires in 199 days");
        assertThat(r.getStatus().getCertificates())
                .extracting(CertificateStatus::getSource)
                .containsExactly("secret", "endpoint");
        assertThat(r.getStatus().getCertificates().get(0).getState()).isEqualTo(CertificateState.Valid);
        assertThat(r.getStatus().getCertificates().get(1).getState()).isNull();
        assertThat(r.getStatus().getCertificates().get(1).getMessage()).contains("cannot connect");
        assertThat(r.getStatus().getCertificate().getSource()).isEqualTo("secret");
    }

    @Test
    void missingAndUnreadableSecretsAreReported() {
        createRegion(tls -> {
            tls.setCertificateSecretRef(secretRef());
            tls.setNotifyMaas(false);
        });
        Condition missing = awaitCondition(c -> "SecretNotFound".equals(c.getReason()));
        assertThat(missing.getMessage()).contains(TLS_SECRET).contains("does not exist");

        // a private key pasted into tls.crt: unreadable, and the key never appears in status
        String key = TestCertificates.selfSigned(
                        "x", Instant.now(), Instant.now().plusSeconds(3600))
                .keyPem();
        putTlsSecret(Map.of("tls.crt", key, "tls.key", key));
        poke();
        Condition unreadable = awaitCondition(c -> CertificateConcern.REASON_UNREADABLE.equals(c.getReason()));
        assertThat(unreadable.getMessage()).contains("no CERTIFICATE block");
        String status = io.fabric8.kubernetes.client.utils.Serialization.asJson(region().getStatus());
        // only the PEM block's type is named, never its content
        assertThat(status)
                .doesNotContain("BEGIN")
                .doesNotContain(key.lines().skip(1).findFirst().orElseThrow());
    }

    @Test
    void deletingTheRegionRemovesItsMaasNotificationsAndMetrics() {
        Instant now = OPERATOR.clock().instant();
        tlsSecret(TestCertificates.selfSigned(
                "maas.example",
                now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(5)).plusSeconds(600),
                "maas.example"));
        createRegion(tls -> {
            tls.setCertificateSecretRef(secretRef());
            tls.setNotifyMaas(true);
        });
        awaitCondition(c -> "Expiring".equals(c.getReason()));
        CertificateNotificationIdents idents = CertificateNotificationIdents.forRegion(ns() + "/" + REGION);
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        testbed.api().notificationByIdent(idents.reminder()).isPresent());

        OPERATOR.client()
                .resources(MaasRegion.class)
                .inNamespace(ns())
                .withName(REGION)
                .delete();
        await().atMost(Duration.ofSeconds(20)).until(() -> region() == null);
        assertThat(testbed.api().notificationByIdent(idents.reminder())).isEmpty();
        assertThat(OPERATOR.registry()
                        .find(CertificateMetrics.EXPIRY)
                        .tag("namespace", ns())
                        .gauge())
                .isNull();
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private static String ns() {
        return OPERATOR.namespace();
    }

    private static TlsSecretRef secretRef() {
        TlsSecretRef ref = new TlsSecretRef();
        ref.setName(TLS_SECRET);
        return ref;
    }

    private void createRegion(Consumer<TlsSpec> tlsSettings) {
        MaasRegion region = testbed.region(REGION, INTEGRATION);
        TlsSpec tls = new TlsSpec();
        tls.setCheckInterval("12h");
        tls.setReminderDays(30);
        tlsSettings.accept(tls);
        region.getSpec().setTls(tls);
        OPERATOR.client()
                .resources(MaasRegion.class)
                .inNamespace(ns())
                .resource(region)
                .create();
    }

    /** A kubernetes.io/tls Secret, labelled so the operator watches it. */
    private void tlsSecret(TestCertificates.Issued cert) {
        putTlsSecret(Map.of("tls.crt", cert.chainPem(), "tls.key", cert.keyPem()));
    }

    private void putTlsSecret(Map<String, String> data) {
        var secret = new SecretBuilder()
                .withNewMetadata()
                .withName(TLS_SECRET)
                .withNamespace(ns())
                .addToLabels(EventSources.WATCH_LABEL, "true")
                .endMetadata()
                .withType("kubernetes.io/tls")
                .withStringData(data)
                .build();
        OPERATOR.client().secrets().inNamespace(ns()).resource(secret).createOr(op -> op.update());
    }

    /** Triggers a reconcile of the region without changing it (see the class comment). */
    private void poke() {
        pokes.incrementAndGet();
        OPERATOR.nudge(VaultIntegration.class, INTEGRATION);
    }

    /** MaasRegion reconciles that finished successfully so far (JOSDK's own counter). */
    private static double regionReconciles() {
        return OPERATOR
                .registry()
                .find("operator.sdk.reconciliations.success")
                .tag("kind", "MaasRegion")
                .counters()
                .stream()
                .mapToDouble(io.micrometer.core.instrument.Counter::count)
                .sum();
    }

    /** Waits for a check at or after the clock's current time (status.certificateCheckedAt says when the last one was). */
    private static void awaitChecked() {
        java.time.Instant now = OPERATOR.clock().instant().truncatedTo(ChronoUnit.SECONDS);
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            String checked = region().getStatus().getCertificateCheckedAt();
            return checked != null && !java.time.Instant.parse(checked).isBefore(now);
        });
    }

    private static MaasRegion region() {
        return OPERATOR.client()
                .resources(MaasRegion.class)
                .inNamespace(ns())
                .withName(REGION)
                .get();
    }

    private static Condition condition(MaasRegion r) {
        return Conditions.find(r.getStatus().getConditions(), CertificateConcern.CONDITION)
                .orElseThrow();
    }

    private static Condition awaitCondition(Predicate<Condition> wanted) {
        return await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> {
                            MaasRegion r = region();
                            if (r == null || r.getStatus() == null) {
                                return null;
                            }
                            return Conditions.find(r.getStatus().getConditions(), CertificateConcern.CONDITION)
                                    .filter(wanted)
                                    .orElse(null);
                        },
                        c -> c != null);
    }

    private static List<Event> certificateEvents() {
        return OPERATOR.client().v1().events().inNamespace(ns()).list().getItems().stream()
                .filter(e -> e.getReason() != null && e.getReason().startsWith("Certificate"))
                .filter(e -> REGION.equals(e.getInvolvedObject().getName()))
                .toList();
    }

    private static void awaitEvents(String reason, int count) {
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(certificateEvents())
                        .filteredOn(e -> reason.equals(e.getReason()))
                        .hasSize(count));
    }

    private static List<StoredNotification> ours() {
        return testbed.api().notifications().stream()
                .filter(n -> n.ident() != null && n.ident().startsWith("maasops-cert-"))
                .toList();
    }

    private static Double gauge(String name, String source) {
        Gauge g = OPERATOR.registry()
                .find(name)
                .tags("kind", "MaasRegion", "namespace", ns(), "name", REGION, "source", source)
                .gauge();
        return g == null ? null : g.value();
    }
}
