package io.maasops.security.regionhost;

import java.util.List;

/**
 * How MAAS is installed on a controller, as data: how to call its CLI, how to restart the region service and
 * where its configuration files live (docs/reference/maas-internals.md §7). Both forms reach the CLI as {@code maas}; the
 * runner adds {@code sudo -n --} when the spec asks for it.
 */
public enum MaasPackaging {
    SNAP(
            List.of("maas"),
            List.of("snap", "restart", "maas"),
            "/var/snap/maas/current/regiond.conf",
            "/var/snap/maas/current/rackd.conf",
            "/var/snap/maas/common/maas/secret"),
    DEB(
            List.of("maas"),
            List.of("systemctl", "restart", "maas-regiond"),
            "/etc/maas/regiond.conf",
            "/etc/maas/rackd.conf",
            "/var/lib/maas/secret");

    private final List<String> cliPrefix;
    private final List<String> restartArgv;
    private final String regiondConf;
    private final String rackdConf;
    private final String sharedSecret;

    MaasPackaging(
            List<String> cliPrefix,
            List<String> restartArgv,
            String regiondConf,
            String rackdConf,
            String sharedSecret) {
        this.cliPrefix = cliPrefix;
        this.restartArgv = restartArgv;
        this.regiondConf = regiondConf;
        this.rackdConf = rackdConf;
        this.sharedSecret = sharedSecret;
    }

    public List<String> cliPrefix() {
        return cliPrefix;
    }

    public List<String> restartArgv() {
        return restartArgv;
    }

    public String regiondConf() {
        return regiondConf;
    }

    public String rackdConf() {
        return rackdConf;
    }

    public String sharedSecret() {
        return sharedSecret;
    }

    /** The files the hardening checklist covers by default: regiond.conf, rackd.conf, the shared secret. */
    public List<String> defaultConfigFiles() {
        return List.of(regiondConf, rackdConf, sharedSecret);
    }
}
