package io.maasops.security.maas;

import static org.assertj.core.api.Assertions.assertThat;

import io.maasops.security.maas.CertificateReminderNotifier.Action;
import io.maasops.security.maas.CertificateReminderNotifier.Outcome;
import io.maasops.security.testing.maas.MaasApiDouble;
import io.maasops.security.testing.maas.MaasApiDouble.StoredNotification;
import io.maasops.security.testing.tls.ManualClock;
import io.maasops.security.tls.CertificateEvaluator;
import io.maasops.security.tls.CertificateEvaluator.Evaluation;
import io.maasops.security.tls.CertificateStateChange;
import io.maasops.security.tls.ExpiryState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class CertificateReminderNotifierTest {

    private static final Instant NOT_AFTER = Instant.parse("2027-01-31T10:00:00Z");
    private static final CertificateNotificationIdents IDENTS =
            CertificateNotificationIdents.forRegion("maas/region-a");

    private MaasApiDouble maas;
    private MaasApiClient operatorClient;
    private MaasApiClient aliceClient;
    private CertificateReminderNotifier notifier;
    private ManualClock clock;

    /** What a reconciler does per check: evaluate, emit an event on change, sync MAAS. */
    private final class Checker {
        Instant notAfter = NOT_AFTER;
        ExpiryState lastState;
        final List<CertificateStateChange> events = new ArrayList<>();
        final Map<String, Integer> knownIds = new HashMap<>();
        Outcome lastOutcome;

        Evaluation check() throws MaasApiException {
            Evaluation e = CertificateEvaluator.evaluate(notAfter, clock.instant(), 30);
            CertificateStateChange.between(lastState, e, "secret").ifPresent(events::add);
            lastState = e.state();
            lastOutcome = notifier.sync(IDENTS, "region-a", e, knownIds);
            knownIds.clear();
            if (lastOutcome.reminderId() != null) {
                knownIds.put(IDENTS.reminder(), lastOutcome.reminderId());
            }
            if (lastOutcome.expiredId() != null) {
                knownIds.put(IDENTS.expired(), lastOutcome.expiredId());
            }
            return e;
        }
    }

    @BeforeEach
    void start() throws Exception {
        maas = MaasApiDouble.start();
        operatorClient = MaasApiClient.builder(maas.baseUrl(), MaasApiKey.parse(maas.apiKey()))
                .build();
        aliceClient = MaasApiClient.builder(maas.baseUrl(), MaasApiKey.parse(maas.addUser("alice", true)))
                .build();
        notifier = new CertificateReminderNotifier(operatorClient);
        clock = new ManualClock(NOT_AFTER.minus(Duration.ofDays(60)));
    }

    @AfterEach
    void stop() {
        maas.close();
    }

    private List<StoredNotification> ours() {
        return maas.notifications().stream()
                .filter(n -> n.ident() != null && n.ident().startsWith("maasops-cert-"))
                .toList();
    }

    @Test
    void validExpiringExpiredRenewed() throws Exception {
        Checker checker = new Checker();

        // valid: nothing to say
        assertThat(checker.check().state()).isEqualTo(ExpiryState.VALID);
        assertThat(checker.events).isEmpty();
        assertThat(ours()).isEmpty();

        // 20 days (and 13 h) left: one Warning event, one reminder for admins
        clock.set(NOT_AFTER.minus(Duration.ofDays(20).plusHours(13)));
        assertThat(checker.check().state()).isEqualTo(ExpiryState.EXPIRING);
        assertThat(checker.events)
                .extracting(CertificateStateChange::reason)
                .containsExactly(CertificateStateChange.REASON_EXPIRING);
        StoredNotification reminder =
                maas.notificationByIdent(IDENTS.reminder()).orElseThrow();
        assertThat(reminder.category()).isEqualTo("info");
        assertThat(reminder.admins()).isTrue();
        assertThat(reminder.users()).isFalse();
        assertThat(reminder.dismissable()).isTrue();
        assertThat(reminder.context()).containsEntry("days", 20).containsEntry("region", "region-a");
        assertThat(reminder.message()).isEqualTo(CertificateReminderNotifier.REMINDER_MESSAGE);
        assertThat(aliceClient.listNotifications())
                .extracting(MaasNotification::id)
                .containsExactly(reminder.id());

        // 12 h later, same day count: no event, no write
        clock.advance(Duration.ofHours(12));
        int before = maas.requestLog().size();
        checker.check();
        assertThat(checker.events).hasSize(1);
        assertThat(maas.requestLog().subList(before, maas.requestLog().size()))
                .extracting(MaasApiDouble.LoggedRequest::method)
                .containsOnly("GET");
        assertThat(ours()).hasSize(1);

        // alice dismisses it; the next day it is updated in place and stays dismissed
        aliceClient.dismissNotification(reminder.id());
        clock.advance(Duration.ofHours(12));
        checker.check();
        assertThat(checker.lastOutcome.applied()).extracting(Action::type).containsExactly(Action.Type.UPDATE);
        StoredNotification updated = maas.notificationByIdent(IDENTS.reminder()).orElseThrow();
        assertThat(updated.id()).isEqualTo(reminder.id());
        assertThat(updated.context()).containsEntry("days", 19);
        assertThat(updated.dismissedBy()).containsExactly("alice");
        assertThat(aliceClient.listNotifications()).isEmpty();
        assertThat(checker.events).hasSize(1);

        // under 24 h left: expired; the reminder goes, a new warning appears, also for alice
        clock.set(NOT_AFTER.minus(Duration.ofHours(12)));
        Evaluation expired = checker.check();
        assertThat(expired.state()).isEqualTo(ExpiryState.EXPIRED);
        assertThat(expired.message()).isEqualTo("certificate has expired");
        assertThat(checker.events)
                .extracting(CertificateStateChange::reason)
                .containsExactly(CertificateStateChange.REASON_EXPIRING, CertificateStateChange.REASON_EXPIRED);
        assertThat(maas.notificationByIdent(IDENTS.reminder())).isEmpty();
        StoredNotification expiredNotice =
                maas.notificationByIdent(IDENTS.expired()).orElseThrow();
        assertThat(expiredNotice.id()).isNotEqualTo(reminder.id());
        assertThat(expiredNotice.category()).isEqualTo("warning");
        assertThat(expiredNotice.dismissable()).isTrue();
        assertThat(expiredNotice.message()).isEqualTo(CertificateReminderNotifier.EXPIRED_MESSAGE);
        assertThat(aliceClient.listNotifications())
                .extracting(MaasNotification::ident)
                .containsExactly(IDENTS.expired());

        // still expired a day later: same notice, no new event
        clock.advance(Duration.ofDays(1));
        checker.check();
        assertThat(maas.notificationByIdent(IDENTS.expired()).orElseThrow().id())
                .isEqualTo(expiredNotice.id());
        assertThat(checker.events).hasSize(2);

        // renewed: both gone, one Normal event
        checker.notAfter = clock.instant().plus(Duration.ofDays(365));
        assertThat(checker.check().state()).isEqualTo(ExpiryState.VALID);
        assertThat(ours()).isEmpty();
        assertThat(checker.events)
                .extracting(CertificateStateChange::reason)
                .containsExactly(
                        CertificateStateChange.REASON_EXPIRING,
                        CertificateStateChange.REASON_EXPIRED,
                        CertificateStateChange.REASON_VALID);
    }

    @Test
    void aReminderDismissedByTheOperatorsOwnUserIsFoundThroughItsKnownId() throws Exception {
        Checker checker = new Checker();
        clock.set(NOT_AFTER.minus(Duration.ofDays(10)));
        checker.check();
        int id = checker.lastOutcome.reminderId();
        operatorClient.dismissNotification(id); // now hidden from the operator's own list
        assertThat(operatorClient.listNotifications()).isEmpty();

        clock.advance(Duration.ofDays(1));
        checker.check();
        assertThat(checker.lastOutcome.reminderId()).isEqualTo(id);
        assertThat(maas.notificationByIdent(IDENTS.reminder()).orElseThrow().context())
                .containsEntry("days", 9);

        clock.set(NOT_AFTER);
        checker.check();
        assertThat(maas.notificationByIdent(IDENTS.reminder())).isEmpty();
        assertThat(maas.notificationByIdent(IDENTS.expired())).isPresent();
    }

    @Test
    void withoutTheKnownIdAHiddenReminderIsReportedNotFailed() throws Exception {
        Evaluation expiring = CertificateEvaluator.evaluate(NOT_AFTER, NOT_AFTER.minus(Duration.ofDays(5)), 30);
        Outcome first = notifier.sync(IDENTS, "region-a", expiring, Map.of());
        operatorClient.dismissNotification(first.reminderId());
        Outcome second = notifier.sync(IDENTS, "region-a", expiring, Map.of());
        assertThat(second.warnings()).singleElement().asString().contains("dismissed for the operator's MAAS user");
        assertThat(ours()).hasSize(1);
    }

    @Test
    void turningNotificationsOffRemovesBoth() throws Exception {
        Evaluation expiring = CertificateEvaluator.evaluate(NOT_AFTER, NOT_AFTER.minus(Duration.ofDays(5)), 30);
        notifier.sync(IDENTS, "region-a", expiring, Map.of());
        assertThat(ours()).hasSize(1);
        notifier.sync(IDENTS, "region-a", null, Map.of());
        assertThat(ours()).isEmpty();
    }

    @Test
    void regionsHaveTheirOwnNotificationsAndMaasOwnAreUntouched() throws Exception {
        operatorClient.createNotification(NotificationRequest.forAdmins(
                "regiond-reverse-proxy-cert-expire", "info", "MAAS's own", Map.of("days", 3)));
        Evaluation expiring = CertificateEvaluator.evaluate(NOT_AFTER, NOT_AFTER.minus(Duration.ofDays(5)), 30);
        Evaluation valid = CertificateEvaluator.evaluate(NOT_AFTER, NOT_AFTER.minus(Duration.ofDays(50)), 30);
        CertificateNotificationIdents other = CertificateNotificationIdents.forRegion("other-ns/region-a");
        notifier.sync(IDENTS, "region-a", expiring, Map.of());
        notifier.sync(other, "region-a", expiring, Map.of());
        assertThat(ours())
                .extracting(StoredNotification::ident)
                .containsExactlyInAnyOrder(IDENTS.reminder(), other.reminder());
        notifier.sync(other, "region-a", valid, Map.of());
        assertThat(ours()).extracting(StoredNotification::ident).containsExactly(IDENTS.reminder());
        assertThat(maas.notificationByIdent("regiond-reverse-proxy-cert-expire"))
                .isPresent();
    }

    @Test
    void identsAreDeterministicDistinctAndAtMost40Characters() {
        CertificateNotificationIdents a = CertificateNotificationIdents.forRegion("maas/region-a");
        assertThat(CertificateNotificationIdents.forRegion("maas/region-a")).isEqualTo(a);
        assertThat(a.reminder()).startsWith("maasops-cert-expire-").hasSizeLessThanOrEqualTo(40);
        assertThat(a.expired()).startsWith("maasops-cert-expired-").hasSizeLessThanOrEqualTo(40);
        String longKey = "n".repeat(63) + "/" + "r".repeat(253);
        assertThat(CertificateNotificationIdents.forRegion(longKey).expired()).hasSizeLessThanOrEqualTo(40);
        assertThat(CertificateNotificationIdents.forRegion("maas/region-b").reminder())
                .isNotEqualTo(a.reminder());
    }

    @Test
    void planIsPureAndMinimal() {
        Evaluation expiring = CertificateEvaluator.evaluate(NOT_AFTER, NOT_AFTER.minus(Duration.ofDays(7)), 30);
        List<Action> create = CertificateReminderNotifier.plan(IDENTS, "r", expiring, List.of());
        assertThat(create).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(Action.Type.CREATE);
            assertThat(a.request().dismissable()).isTrue();
            assertThat(a.request().admins()).isTrue();
        });
        NotificationRequest r = create.get(0).request();
        // MAAS returns context numbers as JSON numbers; an identical row needs no write
        MaasNotification same = new MaasNotification(
                5,
                IDENTS.reminder(),
                null,
                false,
                true,
                r.message(),
                Map.of("days", 7L, "region", "r"),
                "info",
                true,
                null);
        assertThat(CertificateReminderNotifier.plan(IDENTS, "r", expiring, List.of(same)))
                .isEmpty();
        MaasNotification stale = new MaasNotification(
                5,
                IDENTS.reminder(),
                null,
                false,
                true,
                r.message(),
                Map.of("days", 8, "region", "r"),
                "info",
                true,
                null);
        assertThat(CertificateReminderNotifier.plan(IDENTS, "r", expiring, List.of(stale)))
                .singleElement()
                .satisfies(a -> {
                    assertThat(a.type()).isEqualTo(Action.Type.UPDATE);
                    assertThat(a.id()).isEqualTo(5);
                });
    }
}
