package io.maasops.security.metrics;

import io.maasops.security.vault.VaultRequestListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The operator's own metrics (JOSDK adds operator.sdk.* beside them). Tags carry identifiers
 * only: namespace, resource name, operation, outcome.
 */
public final class OperatorMetrics implements VaultRequestListener {

  public static final String VAULT_REQUESTS = "maasops.vault.requests";
  public static final String VAULT_LOGINS = "maasops.vault.logins";
  public static final String REGIONS_CONFIGURED = "maasops.regions.configured";
  public static final String REGIONS_DECLARED = "maasops.regions.declared";
  public static final String CONFIG_FILES_NONCOMPLIANT = "maasops.configfiles.noncompliant";

  private final MeterRegistry registry;
  private final Map<String, AtomicInteger> gauges = new ConcurrentHashMap<>();

  public OperatorMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public MeterRegistry registry() {
    return registry;
  }

  @Override
  public void onRequest(String operation, String outcome) {
    Counter.builder(VAULT_REQUESTS).description("Vault requests made by the operator")
        .tag("operation", operation).tag("outcome", outcome).register(registry).increment();
  }

  @Override
  public void onLogin(String method, String outcome) {
    Counter.builder(VAULT_LOGINS).description("Operator logins to Vault")
        .tag("method", method).tag("outcome", outcome).register(registry).increment();
  }

  /** Sets a gauge identified by name + namespace + resource (created on first use). */
  public void gauge(String name, String description, String namespace, String resource, int value) {
    String key = name + "|" + namespace + "|" + resource;
    gauges.computeIfAbsent(key, k -> {
      AtomicInteger holder = new AtomicInteger();
      Gauge.builder(name, holder, AtomicInteger::get).description(description)
          .tag("namespace", namespace).tag("resource", resource).register(registry);
      return holder;
    }).set(value);
  }
}
