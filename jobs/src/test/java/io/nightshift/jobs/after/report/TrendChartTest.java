package io.nightshift.jobs.after.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.nightshift.jobs.after.report.ReportData.DailyPoint;
import io.nightshift.jobs.after.report.ReportData.FindingMark;

class TrendChartTest {
    static final LocalDate FIRST = LocalDate.parse("2026-11-01");

    private static long count(String s, String regex) {
        return Pattern.compile(regex).matcher(s).results().count();
    }

    @Test
    void aDayWithoutDataIsAGapAndADayWithDataButNoPointIsZero() {
        // Days 0-2 and 4-6 have data; day 3 has none (no run): two line segments. Day 5 has data but no point for
        // this series: it is drawn at 0, not skipped.
        Set<LocalDate> withData = Set.of(FIRST, FIRST.plusDays(1), FIRST.plusDays(2), FIRST.plusDays(4),
                FIRST.plusDays(5), FIRST.plusDays(6));
        List<DailyPoint> points = List.of(new DailyPoint(FIRST, 100, 1), new DailyPoint(FIRST.plusDays(1), 120, 2),
                new DailyPoint(FIRST.plusDays(2), 90, 0), new DailyPoint(FIRST.plusDays(4), 110, 5),
                new DailyPoint(FIRST.plusDays(6), 105, 1));

        String svg = new TrendChart("t", "events", "errors", FIRST, 7).svg(withData, points, List.of());

        assertThat(count(svg, "<path class=\"line\"")).isEqualTo(2);
        assertThat(count(svg, "<rect class=\"bar\"")).as("bars only for days with errors").isEqualTo(4);
        // The y scale is round: 120 events → 200 at the top, 100 in the middle.
        assertThat(svg).contains(">200</text>", ">100</text>");
        // The second segment goes through day 5 at the baseline (y = 134.0).
        assertThat(svg).containsPattern("<path class=\"line\" d=\"M[0-9.]+ [0-9.]+ L[0-9.]+ 134\\.0 L");
    }

    @Test
    void marksOutsideThePeriodAreIgnoredAndTooltipsListTheFindings() {
        List<FindingMark> marks = List.of(new FindingMark(FIRST.plusDays(2), 2, "critical", List.of("a", "b")),
                new FindingMark(FIRST.minusDays(1), 1, "low", List.of("old")),
                new FindingMark(FIRST.plusDays(9), 1, "low", List.of("future")));

        String svg = new TrendChart("t", "events", "errors", FIRST, 7).svg(Set.of(), List.of(), marks);

        assertThat(count(svg, "<g class=\"mark\">")).isEqualTo(1);
        assertThat(svg).contains("2026-11-03: 2 findings (highest severity: critical)\n- a\n- b</title>")
                .contains("fill=\"" + Severities.colour("critical") + "\"").doesNotContain("old", "future");
    }

    @Test
    void aSingleDayIsADot() {
        String svg = new TrendChart("t", "e", "r", FIRST, 3).svg(Set.of(FIRST.plusDays(2)),
                List.of(new DailyPoint(FIRST.plusDays(2), 5, 0)), List.of());
        assertThat(svg).contains("<circle class=\"dot\"").doesNotContain("class=\"line\"");
    }

    @Test
    void axisNumbersAreRoundAndShort() {
        assertThat(TrendChart.niceMax(0)).isEqualTo(2);
        assertThat(TrendChart.niceMax(3)).isEqualTo(4);
        assertThat(TrendChart.niceMax(12_345)).isEqualTo(20_000);
        assertThat(TrendChart.niceMax(61_000)).isEqualTo(80_000);
        assertThat(TrendChart.compact(999)).isEqualTo("999");
        assertThat(TrendChart.compact(12_500)).isEqualTo("12.5k");
        assertThat(TrendChart.compact(3_000_000)).isEqualTo("3M");
    }
}
