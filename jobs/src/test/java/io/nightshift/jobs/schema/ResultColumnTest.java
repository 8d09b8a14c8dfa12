package io.nightshift.jobs.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;

import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The Spark-free reading of the table definitions says what Spark's parser says, for every table. */
class ResultColumnTest {

    @Test
    void everyTableReadsAsSparkParsesIt() {
        for (ResultTable t : ResultTables.all()) {
            StructType spark = t.schema();
            List<ResultColumn> expected = Arrays.stream(spark.fields()).map(f -> new ResultColumn(f.name(),
                    f.dataType().simpleString(), f.nullable(), f.getComment().isDefined() ? f.getComment().get() : ""))
                    .toList();
            assertThat(t.columns()).as(t.name()).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void nestedTypesQuotesAndConstraintsAreRead() {
        assertThat(ResultColumn.parse("`a b` ARRAY<STRUCT<type: STRING, n: INT>> NOT NULL COMMENT 'it''s here', "
                + "m MAP<INT, BIGINT>"))
                .containsExactly(new ResultColumn("a b", "array<struct<type:string,n:int>>", false, "it's here"),
                        new ResultColumn("m", "map<int,bigint>", true, ""));
    }

    @Test
    void aTypeOutsideTheSubsetIsNamedWithItsPosition() {
        assertThatThrownBy(() -> ResultColumn.parse("id STRING, amount DECIMAL(10, 2)"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected one of the types")
                .hasMessageContaining("at position 18 (near 'DECIMAL(10, 2)')");
        assertThatThrownBy(() -> ResultColumn.parse("note STRING COMMENT 'unterminated"))
                .hasMessageContaining("expected a closing '");
    }
}
