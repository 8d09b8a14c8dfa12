package io.nightshift.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The soak's verdict from made-up nights: what passes, and each way it fails. */
class SoakVerdictTest {
    private static final long GIB = 1L << 30;
    private static final SnapshotCensus.Result BOUNDED = new SnapshotCensus.Result(40, 5, "job_runs", 70, List.of());

    private static SoakNight night(int n, double seconds, long rss, SnapshotCensus.Result census,
                                   List<String> problems) {
        return new SoakNight(n, LocalDate.parse("2026-10-08").plusDays(n), seconds, rss, 3.0, census, 1, problems);
    }

    /** Night 1 slow (bootstrap and training), then {@code seconds} and {@code rss} for every later night. */
    private static List<SoakNight> nights(int count, double[] seconds, long rss) {
        List<SoakNight> nights = new ArrayList<>();
        nights.add(night(1, 600, 5 * GIB, BOUNDED, List.of()));
        for (int n = 2; n <= count; n++) {
            nights.add(night(n, seconds[Math.min(n - 2, seconds.length - 1)], rss, BOUNDED, List.of()));
        }
        return nights;
    }

    @Test
    void flatNightsPassAndTheSlowFirstNightIsLeftOut() {
        SoakVerdict v = SoakVerdict.of(nights(14, new double[] {100, 110, 90, 100}, 4 * GIB), "2 minutes", 3);
        assertThat(v.passed()).isTrue();
        assertThat(v.lines()).last().isEqualTo("SOAK PASSED");
        assertThat(v.lines()).anySatisfy(l -> assertThat(l).startsWith("  time flat          PASS  mean of nights "
                + "12-14 100.0 s = 1.00x the mean of nights 2-4 (100.0 s); limit 1.25x"));
    }

    @Test
    void lastNightsSlowerThanAQuarterFail() {
        double[] slower = new double[14];
        java.util.Arrays.fill(slower, 100);
        slower[10] = 130;
        slower[11] = 130;
        slower[12] = 130;
        SoakVerdict v = SoakVerdict.of(nights(14, slower, 4 * GIB), "2 minutes", 3);
        assertThat(v.passed()).isFalse();
        assertThat(v.lines()).anySatisfy(l -> assertThat(l).startsWith("  time flat          FAIL  mean of nights "
                + "12-14 130.0 s = 1.30x"));
        assertThat(v.lines()).last().isEqualTo("SOAK FAILED");
    }

    @Test
    void growingMemoryAnUnboundedTableOrAnInconsistencyFail() {
        List<SoakNight> growing = nights(7, new double[] {100}, 4 * GIB);
        for (int i = 4; i < 7; i++) {
            SoakNight n = growing.get(i);
            growing.set(i, night(n.number(), 100, 6 * GIB, BOUNDED, List.of()));
        }
        assertThat(SoakVerdict.of(growing, "2 minutes", 3).lines())
                .anySatisfy(l -> assertThat(l).startsWith("  peak RSS flat      FAIL  mean of nights 5-7 6.00 GiB = 1.50x"));

        List<SoakNight> unbounded = nights(7, new double[] {100}, 4 * GIB);
        unbounded.set(5, night(6, 100, 4 * GIB, new SnapshotCensus.Result(90, 40, "job_runs", 70,
                List.of("job_runs keeps 37 snapshots")), List.of()));
        SoakVerdict v = SoakVerdict.of(unbounded, "2 minutes", 3);
        assertThat(v.passed()).isFalse();
        assertThat(v.lines()).anySatisfy(l -> assertThat(l).startsWith("  snapshots bounded  FAIL  after 6 of 7 nights"));

        List<SoakNight> inconsistent = nights(7, new double[] {100}, 4 * GIB);
        inconsistent.set(2, night(3, 100, 4 * GIB, BOUNDED, List.of("2026-10-11 has 2 succeeded runs")));
        assertThat(SoakVerdict.of(inconsistent, "2 minutes", 3).lines())
                .anySatisfy(l -> assertThat(l).startsWith("  consistency        FAIL  6 of 7 nights passed"));
    }

    @Test
    void tooFewNightsIsNoVerdict() {
        SoakVerdict v = SoakVerdict.of(nights(6, new double[] {100}, 4 * GIB), "2 minutes", 3);
        assertThat(v.passed()).isFalse();
        assertThat(v.lines()).contains("  nights run         FAIL  6 of at least 7 needed for a verdict");
    }
}
