/**
 * The MAAS REST API 2.0: {@link io.maasops.security.maas.MaasApiClient} (OAuth 1.0 PLAINTEXT from a
 * {@link io.maasops.security.maas.MaasApiKey}; notifications, users, resource pools, 3.8 groups and
 * entitlements, config; errors as {@link io.maasops.security.maas.MaasApiException} kinds) and
 * {@link io.maasops.security.maas.CertificateReminderNotifier}, which keeps MAAS's notifications in
 * line with a region's certificate state.
 */
package io.maasops.security.maas;
