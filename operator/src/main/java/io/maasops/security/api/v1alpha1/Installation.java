package io.maasops.security.api.v1alpha1;

/**
 * How MAAS is installed on a controller. The lower-case names are the values users write; the
 * paths and commands that follow from each live in {@code io.maasops.security.regionhost.Installation}.
 */
public enum Installation {
    snap,
    deb
}
