package io.maasops.security.concern.posture;

import io.maasops.security.api.v1alpha1.PostureResult;

/** One check's result, reason and message. */
record Verdict(PostureResult result, String reason, String message) {
    static Verdict pass(String reason, String message) {
        return new Verdict(PostureResult.Pass, reason, message);
    }

    static Verdict fail(String reason, String message) {
        return new Verdict(PostureResult.Fail, reason, message);
    }

    static Verdict notApplicable(String reason, String message) {
        return new Verdict(PostureResult.NotApplicable, reason, message);
    }
}
