package io.maasops.security.concern.regions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RegionSummaryMessageTest {

    @Test
    void aFewNamesAreListedInFull() {
        assertThat(RegionSummary.someOf(List.of())).isEmpty();
        assertThat(RegionSummary.someOf(List.of("region-a", "region-b"))).isEqualTo("region-a, region-b");
        List<String> ten = IntStream.range(0, RegionSummary.NAMES_IN_MESSAGE)
                .mapToObj(i -> "r" + i)
                .toList();
        assertThat(RegionSummary.someOf(ten)).doesNotContain("more").endsWith("r9");
    }

    @Test
    void manyNamesAreCutWithACount() {
        List<String> names =
                IntStream.range(0, 1000).mapToObj(i -> "region-" + i).toList();
        String message = RegionSummary.someOf(names);
        assertThat(message).startsWith("region-0, region-1, ").endsWith("region-9 and 990 more");
        assertThat(message.length()).isLessThan(200);
    }
}
