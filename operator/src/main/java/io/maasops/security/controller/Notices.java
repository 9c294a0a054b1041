package io.maasops.security.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.maasops.security.concern.Notice;
import io.maasops.security.port.EventSink;
import java.util.List;

/** Records the Events the concerns' transitions asked for. */
final class Notices {

    private Notices() {}

    static void record(EventSink events, HasMetadata on, List<Notice> notices) {
        for (Notice n : notices) {
            if (n.warning()) {
                events.warning(on, n.reason(), n.message());
            } else {
                events.normal(on, n.reason(), n.message());
            }
        }
    }
}
