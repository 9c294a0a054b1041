package io.maasops.security.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** The per-resource gauges: each resource's series are set, replaced and removed without touching another's. */
class ResourceSeriesTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ResourceSeries series = new ResourceSeries(registry);
    private final ResourceKey a = new ResourceKey("MaasRegion", "team-a", "r1");
    private final ResourceKey b = new ResourceKey("MaasRegion", "team-b", "r1");

    @Test
    void removingOneResourceLeavesAnothersSeries() {
        series.set("m_one", "d", null, a, Tags.empty(), 1);
        series.set("m_two", "d", null, a, Tags.of("x", "1"), 2);
        series.set("m_one", "d", null, b, Tags.empty(), 3);

        series.removeAll(a);

        assertThat(series.size()).isEqualTo(1);
        assertThat(registry.find("m_one").tags(b.tags()).gauge().value()).isEqualTo(3);
        assertThat(registry.find("m_one").tags(a.tags()).gauge()).isNull();
        assertThat(registry.find("m_two").gauges()).isEmpty();
    }

    @Test
    void anExclusiveStateReplacesTheResourcesOtherStateOfTheGroupOnly() {
        Tags ready = Tags.of("type", "Ready");
        series.setExclusive("m_cond", "d", a, ready, Tags.of("status", "False"), 1);
        series.setExclusive("m_cond", "d", b, ready, Tags.of("status", "False"), 1);
        series.setExclusive("m_cond", "d", a, Tags.of("type", "Other"), Tags.of("status", "True"), 1);

        series.setExclusive("m_cond", "d", a, ready, Tags.of("status", "True"), 1);

        assertThat(registry.find("m_cond").tags(a.tags()).tags(ready).gauges())
                .singleElement()
                .satisfies(g -> assertThat(g.getId().getTag("status")).isEqualTo("True"));
        assertThat(registry.find("m_cond")
                        .tags(b.tags())
                        .tags(ready)
                        .gauge()
                        .getId()
                        .getTag("status"))
                .isEqualTo("False");
        assertThat(registry.find("m_cond").tags(a.tags()).tag("type", "Other").gauge())
                .isNotNull();
        assertThat(series.size()).isEqualTo(3);
    }
}
