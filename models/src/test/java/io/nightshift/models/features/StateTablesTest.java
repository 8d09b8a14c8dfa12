package io.nightshift.models.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateTablesTest {
    private static SparkSession spark;
    private static final StructType SCHEMA = StructType.fromDDL("cluster INT, weight DOUBLE, name STRING");

    @BeforeAll
    static void start() {
        spark = LocalSpark.session();
    }

    @Test
    void readsEveryRowOrderedByTheNumericColumnWithNullsFirst(@TempDir Path dir) {
        StateTables.write(spark, dir.toString(), "t", SCHEMA, List.of(
                RowFactory.create(12, 0.5, "twelve"),
                RowFactory.create(-3, 2.0, "minus three"),
                RowFactory.create(null, 1.0, "none"),
                RowFactory.create(7, -1.5, "seven"),
                RowFactory.create(100, 0.0, "hundred")));

        assertThat(StateTables.read(spark, dir.toString(), "t", "cluster").stream().map(r -> r.getString(2)))
                .containsExactly("none", "minus three", "seven", "twelve", "hundred");
        assertThat(StateTables.read(spark, dir.toString(), "t", "weight").stream().map(r -> r.getString(2)))
                .containsExactly("seven", "hundred", "twelve", "none", "minus three");
    }

    @Test
    void refusesToOrderByAColumnThatIsNotANumber(@TempDir Path dir) {
        StateTables.write(spark, dir.toString(), "t", SCHEMA, List.of(RowFactory.create(1, 1.0, "one")));

        assertThatThrownBy(() -> StateTables.read(spark, dir.toString(), "t", "name"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("column name is string");
    }

    @Test
    void aTableWithoutRowsReadsAsNone(@TempDir Path dir) {
        StateTables.write(spark, dir.toString(), "t", SCHEMA, List.<Row>of());

        assertThat(StateTables.read(spark, dir.toString(), "t", "cluster")).isEmpty();
    }
}
