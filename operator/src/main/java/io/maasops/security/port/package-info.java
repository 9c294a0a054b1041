/**
 * Ports: the small interfaces the concerns call to act on the outside world. Adapters implement them
 * ({@code vault.VaultGateway}, {@code regionhost.MaasCli}, {@code maas.MaasApiClient},
 * {@code tls.EndpointCertificateProbe}, {@code kube.SecretValues}, {@code kube.EventRecorder}); the
 * {@link io.maasops.security.port.PortFactory} is the seam where production passes the adapters and the
 * fast tests pass in-memory fakes. The value types and boundary exceptions of each port stay in the
 * adapter package that knows the wire format (e.g. {@code vault.VaultException}, {@code regionhost.VaultStatus}).
 */
package io.maasops.security.port;
