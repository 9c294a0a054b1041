package io.maasops.security.concern.groups;

import io.maasops.security.concern.Notice;
import io.maasops.security.status.ConditionValue;
import java.time.Duration;
import java.util.List;

/**
 * What one group sync decided: the conditions (PoolsResolved, SubjectsResolved, Synced, then Ready),
 * the status section, the Events and when to look again.
 */
public record GroupSyncResult(
        List<ConditionValue> conditions, GroupSection section, List<Notice> notices, Duration requeue) {}
