package io.maasops.security.regionhost;

import java.util.List;

/**
 * How MAAS is installed on a controller, as data: how to call its CLI and where its configuration files live
 * (docs/reference/maas-internals.md §7); the restart, which depends on the MAAS version too, is in {@code
 * maasversion.MaasBehaviour}. Both forms reach the CLI as {@code maas}; the
 * runner adds {@code sudo -n --} when the spec asks for it.
 */
public enum MaasPackaging {
    SNAP(
            List.of("maas"),
            "/var/snap/maas/current/regiond.conf",
            "/var/snap/maas/current/rackd.conf",
            "/var/snap/maas/common/maas/secret"),
    DEB(List.of("maas"), "/etc/maas/regiond.conf", "/etc/maas/rackd.conf", "/var/lib/maas/secret");

    private final List<String> cliPrefix;
    private final String regiondConf;
    private final String rackdConf;
    private final String sharedSecret;

    MaasPackaging(List<String> cliPrefix, String regiondConf, String rackdConf, String sharedSecret) {
        this.cliPrefix = cliPrefix;
        this.regiondConf = regiondConf;
        this.rackdConf = rackdConf;
        this.sharedSecret = sharedSecret;
    }

    public List<String> cliPrefix() {
        return cliPrefix;
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
