package io.maasops.security.testing.region;

import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/** Key generation and the text formats tests hand to the operator (private keys, known_hosts lines). */
public final class KeyMaterial {
    private KeyMaterial() {}

    public static KeyPair generateEd25519() {
        try {
            return KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair generateRsa() {
        try {
            return KeyUtils.generateKeyPair(KeyPairProvider.SSH_RSA, 2048);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** "-----BEGIN OPENSSH PRIVATE KEY-----" format, unencrypted (what ssh-keygen writes by default). */
    public static String openSshPrivateKey(KeyPair kp) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(kp, "operator@test", null, out);
            return out.toString(StandardCharsets.UTF_8);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Classic PEM: PKCS#1 "RSA PRIVATE KEY" for RSA, PKCS#8 "PRIVATE KEY" otherwise. */
    public static String pemPrivateKey(KeyPair kp) {
        try {
            StringWriter sw = new StringWriter();
            try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
                w.writeObject(kp.getPrivate());
            }
            return sw.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** "ssh-ed25519 AAAA..." */
    public static String publicKeyLine(PublicKey key) {
        return PublicKeyEntry.toString(key);
    }

    /** A known_hosts line for host:port as OpenSSH writes it ({@code [host]:port} unless port 22). */
    public static String knownHostsLine(String host, int port, PublicKey key) {
        String h = port == 22 ? host : "[" + host + "]:" + port;
        return h + " " + publicKeyLine(key);
    }
}
