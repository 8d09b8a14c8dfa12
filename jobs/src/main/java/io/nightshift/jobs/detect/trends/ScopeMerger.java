package io.nightshift.jobs.detect.trends;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;

import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import io.nightshift.jobs.aggregate.Joins;

/**
 * Keeps one finding per change: the same service and check in two or more regions in overlapping hours is one
 * production-wide run (its regions listed), and a datacenter run inside its region's run adds nothing.
 */
final class ScopeMerger {
    private final Dataset<Row> regionRuns;
    private final Dataset<Row> productionWide;

    ScopeMerger(Dataset<Row> regionRuns) {
        this.regionRuns = regionRuns;
        this.productionWide = regionRuns.groupBy(col("service"), col("check"))
                .agg(countDistinct(col("region")).as("region_count"),
                        max("first_seen").as("latest_start"), min("last_seen").as("earliest_end"),
                        min("first_seen").as("first_seen"), max("last_seen").as("last_seen"),
                        max("hours").as("hours"), max("z").as("z"),
                        max_by(col("value"), col("z")).as("value"), max_by(col("expected"), col("z")).as("expected"),
                        max_by(col("spread"), col("z")).as("spread"),
                        max_by(col("events"), col("z")).as("events"), max_by(col("errors"), col("z")).as("errors"),
                        sum("value_total").as("value_total"), sum("expected_total").as("expected_total"),
                        concat_ws(", ", array_sort(collect_set(col("region")))).as("regions"))
                .where(col("region_count").geq(2).and(col("latest_start").lt(col("earliest_end"))))
                .drop("latest_start", "earliest_end")
                .withColumn("region", lit(null).cast("string"))
                .withColumn("datacenter", lit(null).cast("string"));
    }

    Dataset<Row> productionWide() {
        return productionWide;
    }

    Dataset<Row> regionalOnly() {
        return Joins.nullSafe(regionRuns, productionWide.select("service", "check"), List.of("service", "check"),
                "left_anti").withColumn("datacenter", lit(null).cast("string"));
    }

    Dataset<Row> notExplainedByRegion(Dataset<Row> dcRuns) {
        Dataset<Row> r = regionRuns.select(col("service").as("r_service"), col("check").as("r_check"),
                col("region").as("r_region"), col("first_seen").as("r_first"), col("last_seen").as("r_last"));
        Dataset<Row> unexplained = dcRuns.join(r, dcRuns.col("service").eqNullSafe(r.col("r_service"))
                .and(dcRuns.col("check").equalTo(r.col("r_check")))
                .and(dcRuns.col("region").eqNullSafe(r.col("r_region")))
                .and(dcRuns.col("first_seen").lt(r.col("r_last")))
                .and(r.col("r_first").lt(dcRuns.col("last_seen"))), "left_anti");
        return Joins.nullSafe(unexplained, productionWide.select("service", "check"), List.of("service", "check"),
                "left_anti");
    }
}
