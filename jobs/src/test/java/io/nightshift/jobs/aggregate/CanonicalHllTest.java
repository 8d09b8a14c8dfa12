package io.nightshift.jobs.aggregate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.hll_sketch_estimate;
import static org.apache.spark.sql.functions.hll_union;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.nightshift.jobs.TestSpark;

class CanonicalHllTest {
    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = TestSpark.session();
    }

    private static HllSketch sketchOf(List<String> values, TgtHllType type) {
        HllSketch sketch = new HllSketch(12, type);
        values.forEach(sketch::update);
        return sketch;
    }

    private static List<String> values(int count) {
        return IntStream.range(0, count).mapToObj(i -> "user-" + i).toList();
    }

    // 5: coupon list; 300: coupon hash set; 20,000: HLL registers with exceptions (HLL_4)
    @ParameterizedTest
    @ValueSource(ints = {5, 300, 20_000})
    void theSameValuesInAnyOrderGiveTheSameBytesAndEstimate(int count) {
        List<String> ordered = values(count);
        List<String> shuffled = new ArrayList<>(ordered);
        Collections.shuffle(shuffled, new Random(count));
        for (TgtHllType type : TgtHllType.values()) {
            HllSketch a = sketchOf(ordered, type);
            HllSketch b = sketchOf(shuffled, type);
            byte[] canonicalA = CanonicalHll.canonical(a.toUpdatableByteArray());
            byte[] canonicalB = CanonicalHll.canonical(b.toUpdatableByteArray());

            assertThat(canonicalA).as("%s, %d values", type, count).isEqualTo(canonicalB);
            HllSketch canonical = HllSketch.heapify(canonicalA);
            assertThat(canonical.getTgtHllType()).isEqualTo(type);
            assertThat(canonical.getLgConfigK()).isEqualTo(12);
            assertThat(canonical.getEstimate()).as("%s estimate", type)
                    .isCloseTo(count, org.assertj.core.data.Percentage.withPercentage(3));
            assertThat(CanonicalHll.canonical(canonicalA)).as("canonical of canonical").isEqualTo(canonicalA);
        }
        if (count == 300) {
            assertThat(sketchOf(ordered, TgtHllType.HLL_4).toUpdatableByteArray())
                    .as("without canonicalisation the layout depends on arrival order (why this class exists)")
                    .isNotEqualTo(sketchOf(shuffled, TgtHllType.HLL_4).toUpdatableByteArray());
        }
        assertThat(CanonicalHll.canonical(null)).isNull();
    }

    @ParameterizedTest
    @ValueSource(ints = {40, 5_000})
    void canonicalSketchesStillMergeWithSparkSketches(int count) {
        var rows = spark.createDataset(values(count), Encoders.STRING()).toDF("user");
        Row merged = rows.agg(org.apache.spark.sql.functions.hll_sketch_agg(col("user")).as("raw"))
                .withColumn("canonical", CanonicalHll.of(col("raw")))
                .select(hll_sketch_estimate(col("canonical")).as("estimate"),
                        hll_sketch_estimate(hll_union(col("canonical"), col("raw"))).as("union_estimate"))
                .first();
        assertThat((double) merged.getLong(0)).isCloseTo(count, org.assertj.core.data.Percentage.withPercentage(3));
        assertThat(merged.getLong(1)).as("a sketch unioned with its own canonical form").isEqualTo(merged.getLong(0));
    }
}
