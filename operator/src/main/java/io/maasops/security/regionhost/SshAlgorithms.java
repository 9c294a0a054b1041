package io.maasops.security.regionhost;

import java.util.List;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.mac.BuiltinMacs;
import org.apache.sshd.common.signature.BuiltinSignatures;

/**
 * The ciphers, MACs and signature algorithms the operator's SSH client offers, in order (key exchanges:
 * {@link SshKeyExchanges}). MINA's defaults also offer aes*-cbc, hmac-sha1(-etm) and {@code ssh-rsa}
 * (RSA with SHA-1); none of them is offered here.
 *
 * <p>What a MAAS host's sshd offers by default (OpenSSH 8.9 on Ubuntu 22.04, 9.6 on 24.04,
 * {@code myproposal.h}): ciphers chacha20-poly1305, aes128/192/256-ctr, aes128/256-gcm; MACs umac-64/128,
 * hmac-sha2-256/512 (each also -etm) and hmac-sha1(-etm); host keys ed25519, ecdsa-nistp256/384/521 and
 * rsa-sha2-512/256 ({@code ssh-rsa} is off by default since OpenSSH 8.8). Every one of these hosts shares a
 * cipher, a MAC and a host key algorithm with the lists below.
 */
final class SshAlgorithms {

    static final List<BuiltinCiphers> CIPHERS = List.of(
            BuiltinCiphers.cc20p1305_openssh,
            BuiltinCiphers.aes128ctr,
            BuiltinCiphers.aes192ctr,
            BuiltinCiphers.aes256ctr,
            BuiltinCiphers.aes128gcm,
            BuiltinCiphers.aes256gcm);

    /** Only SHA-2 MACs (AEAD ciphers above need none); encrypt-then-MAC first, as OpenSSH orders them. */
    static final List<BuiltinMacs> MACS = List.of(
            BuiltinMacs.hmacsha256etm, BuiltinMacs.hmacsha512etm, BuiltinMacs.hmacsha256, BuiltinMacs.hmacsha512);

    /**
     * Signature algorithms for the server's host key and for the operator's own key, in OpenSSH's default
     * {@code HostKeyAlgorithms} order ({@code KEX_DEFAULT_PK_ALG}, minus the sk-*-cert types MINA lacks);
     * {@link KnownHostsVerifier} reorders them per host as {@code ssh} does. An RSA user key signs with
     * rsa-sha2-512/256.
     */
    static final List<BuiltinSignatures> SIGNATURES = List.of(
            BuiltinSignatures.ed25519_cert,
            BuiltinSignatures.nistp256_cert,
            BuiltinSignatures.nistp384_cert,
            BuiltinSignatures.nistp521_cert,
            BuiltinSignatures.rsaSHA512_cert,
            BuiltinSignatures.rsaSHA256_cert,
            BuiltinSignatures.ed25519,
            BuiltinSignatures.nistp256,
            BuiltinSignatures.nistp384,
            BuiltinSignatures.nistp521,
            BuiltinSignatures.sk_ssh_ed25519,
            BuiltinSignatures.sk_ecdsa_sha2_nistp256,
            BuiltinSignatures.rsaSHA512,
            BuiltinSignatures.rsaSHA256);

    /**
     * Algorithms a certificate authority may have signed a host certificate with: OpenSSH's default
     * {@code CASignatureAlgorithms} (no {@code ssh-rsa}).
     */
    static final List<BuiltinSignatures> CA_SIGNATURES = List.of(
            BuiltinSignatures.ed25519,
            BuiltinSignatures.nistp256,
            BuiltinSignatures.nistp384,
            BuiltinSignatures.nistp521,
            BuiltinSignatures.sk_ssh_ed25519,
            BuiltinSignatures.sk_ecdsa_sha2_nistp256,
            BuiltinSignatures.rsaSHA512,
            BuiltinSignatures.rsaSHA256);

    private SshAlgorithms() {}

    static List<NamedFactory<org.apache.sshd.common.cipher.Cipher>> ciphers() {
        return new java.util.ArrayList<>(NamedFactory.setUpBuiltinFactories(true, CIPHERS));
    }

    static List<NamedFactory<org.apache.sshd.common.mac.Mac>> macs() {
        return new java.util.ArrayList<>(NamedFactory.setUpBuiltinFactories(true, MACS));
    }

    static List<NamedFactory<org.apache.sshd.common.signature.Signature>> signatures() {
        return new java.util.ArrayList<>(NamedFactory.setUpBuiltinFactories(true, SIGNATURES));
    }
}
