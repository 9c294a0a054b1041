package io.maasops.security.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.*;

/** Run commands on the controller over SSH; the host key is always verified. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SshAccess {

    @JsonPropertyDescription("Host name or address.")
    @Required
    @Pattern(Patterns.HOST)
    @Size(max = 253)
    private String host;

    @JsonPropertyDescription("SSH port.")
    @Min(1)
    @Max(65535)
    @Default("22")
    private Integer port = 22;

    @JsonPropertyDescription("Login user.")
    @Required
    @Pattern(Patterns.POSIX_NAME)
    private String user;

    @JsonPropertyDescription("Run MAAS commands with `sudo -n`.")
    @Default("true")
    private Boolean sudo = true;

    @JsonPropertyDescription("Private key (OpenSSH or PEM).")
    @Required
    private SecretKeyRef privateKeySecretRef;

    @JsonPropertyDescription("known_hosts holding the controller's host key.")
    @Required
    private SecretKeyRef knownHostsSecretRef;

    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = host;
    }

    public Integer getPort() {
        return port;
    }

    public void setPort(Integer port) {
        this.port = port;
    }

    public String getUser() {
        return user;
    }

    public void setUser(String user) {
        this.user = user;
    }

    public Boolean getSudo() {
        return sudo;
    }

    public void setSudo(Boolean sudo) {
        this.sudo = sudo;
    }

    public SecretKeyRef getPrivateKeySecretRef() {
        return privateKeySecretRef;
    }

    public void setPrivateKeySecretRef(SecretKeyRef privateKeySecretRef) {
        this.privateKeySecretRef = privateKeySecretRef;
    }

    public SecretKeyRef getKnownHostsSecretRef() {
        return knownHostsSecretRef;
    }

    public void setKnownHostsSecretRef(SecretKeyRef knownHostsSecretRef) {
        this.knownHostsSecretRef = knownHostsSecretRef;
    }
}
