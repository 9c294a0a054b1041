package io.maasops.security.testing.kube;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reconcile executions per resource, which JOSDK's metrics count only per kind (the operator runs them without
 * per-resource labels): JOSDK's EventProcessor logs each execution at debug level ("Running reconcile executor
 * for: {}" with its ExecutionScope), counted here and kept out of the test output. Compare the totals with
 * {@link Reconciles#started} (per kind) so that a changed JOSDK message cannot make the counts silently zero.
 */
public final class ReconcileLog implements AutoCloseable {

    static final String LOGGER = "io.javaoperatorsdk.operator.processing.event.EventProcessor";
    static final String MESSAGE = "Running reconcile executor for: {}";

    private final Map<ResourceID, AtomicLong> counts = new ConcurrentHashMap<>();
    private final Logger logger = (Logger) org.slf4j.LoggerFactory.getLogger(LOGGER);
    private final Level level = logger.getLevel();
    private final boolean additive = logger.isAdditive();
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent e) {
            Object[] args = e.getArgumentArray();
            if (MESSAGE.equals(e.getMessage()) && args != null && args.length == 1) {
                ResourceID id = resourceId(args[0]);
                if (id != null) {
                    counts.computeIfAbsent(id, k -> new AtomicLong()).incrementAndGet();
                }
            }
        }
    };

    /** The argument is JOSDK's ExecutionScope (package-private): its public getResourceID(). */
    private static ResourceID resourceId(Object executionScope) {
        try {
            var m = executionScope.getClass().getMethod("getResourceID");
            m.setAccessible(true);
            return m.invoke(executionScope) instanceof ResourceID id ? id : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private ReconcileLog() {}

    /** Starts counting (JOSDK's EventProcessor at debug level, to this counter only). */
    public static ReconcileLog start() {
        ReconcileLog log = new ReconcileLog();
        log.appender.setContext(log.logger.getLoggerContext());
        log.appender.start();
        log.logger.addAppender(log.appender);
        log.logger.setAdditive(false);
        log.logger.setLevel(Level.DEBUG);
        return log;
    }

    /** Executions for {@code namespace/name} (namespace null: cluster-scoped) so far. */
    public long executions(String namespace, String name) {
        AtomicLong n = counts.get(new ResourceID(name, namespace));
        return n == null ? 0 : n.get();
    }

    /** Executions of every resource so far. */
    public Map<ResourceID, Long> all() {
        Map<ResourceID, Long> out = new java.util.HashMap<>();
        counts.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
        logger.setLevel(level);
        logger.setAdditive(additive);
    }
}
