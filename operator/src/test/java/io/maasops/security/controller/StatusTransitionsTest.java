package io.maasops.security.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.maasops.security.api.v1alpha1.PostureCheckStatus;
import io.maasops.security.api.v1alpha1.PostureResult;
import io.maasops.security.api.v1alpha1.VaultIntegrationStatus;
import io.maasops.security.concern.Notice;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The Events of a status change, as a table: status before, status after, the Events (type, reason, message). */
class StatusTransitionsTest {

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of(
                        "no status before, posture first evaluated: only what fails",
                        null,
                        status(
                                check("Vault", PostureResult.Fail, "TLS off"),
                                check("Access", PostureResult.Pass, "ok")),
                        List.of(Notice.warning("PostureCheckFailed", "Vault fails: TLS off"))),
                Arguments.of(
                        "first evaluation, all pass: none",
                        status(),
                        status(check("Vault", PostureResult.Pass, "ok")),
                        List.of()),
                Arguments.of(
                        "a first NotApplicable: none",
                        status(),
                        status(check("Certificate", PostureResult.NotApplicable, "none")),
                        List.of()),
                Arguments.of(
                        "Pass -> Fail",
                        status(check("Vault", PostureResult.Pass, "ok")),
                        status(check("Vault", PostureResult.Fail, "sealed")),
                        List.of(Notice.warning("PostureCheckFailed", "Vault fails: sealed"))),
                Arguments.of(
                        "Fail -> Pass",
                        status(check("Vault", PostureResult.Fail, "sealed")),
                        status(check("Vault", PostureResult.Pass, "unsealed")),
                        List.of(Notice.normal("PostureCheckPassed", "Vault passes: unsealed"))),
                Arguments.of(
                        "Pass -> NotApplicable",
                        status(check("Certificate", PostureResult.Pass, "valid")),
                        status(check("Certificate", PostureResult.NotApplicable, "none watched")),
                        List.of(Notice.normal(
                                "PostureCheckNotApplicable", "Certificate does not apply: none watched"))),
                Arguments.of(
                        "same result, new message: none",
                        status(check("Vault", PostureResult.Fail, "a")),
                        status(check("Vault", PostureResult.Fail, "b")),
                        List.of()),
                Arguments.of(
                        "not evaluated this time (posture unchanged): none",
                        status(check("Vault", PostureResult.Fail, "a")),
                        status(check("Vault", PostureResult.Fail, "a")),
                        List.of()),
                Arguments.of(
                        "two changes, in the order of status.posture",
                        status(check("Vault", PostureResult.Fail, "a"), check("Access", PostureResult.Pass, "b")),
                        status(check("Vault", PostureResult.Pass, "c"), check("Access", PostureResult.Fail, "d")),
                        List.of(
                                Notice.normal("PostureCheckPassed", "Vault passes: c"),
                                Notice.warning("PostureCheckFailed", "Access fails: d"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void eventsOfAnIntegrationsStatusChange(
            String name, VaultIntegrationStatus before, VaultIntegrationStatus after, List<Notice> events) {
        assertThat(StatusTransitions.ofIntegration(before, after)).containsExactlyElementsOf(events);
    }

    private static VaultIntegrationStatus status(PostureCheckStatus... checks) {
        VaultIntegrationStatus s = new VaultIntegrationStatus();
        s.setPosture(checks.length == 0 ? null : List.of(checks));
        return s;
    }

    private static PostureCheckStatus check(String check, PostureResult result, String message) {
        return new PostureCheckStatus(check, result, "R", message, "2026-01-01T00:00:00Z", "do this");
    }
}
