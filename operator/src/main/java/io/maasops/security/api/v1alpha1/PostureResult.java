package io.maasops.security.api.v1alpha1;

/** The outcome of one posture check. */
public enum PostureResult {
    Pass,
    Fail,
    NotApplicable
}
