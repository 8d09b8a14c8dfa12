package io.nightshift.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.nightshift.jobs.TestSpark;
import io.nightshift.jobs.base.ExitCodes;
import io.nightshift.jobs.base.NightshiftException;

/** Which statements only read, as Spark's parser sees them; a first word proves nothing. */
class SqlStatementTest {
    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = TestSpark.session();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "DROP TABLE incident_evidence | drop table",
            "UPDATE incident_evidence SET sha256 = 'forged' | update table",
            "DELETE FROM triage | delete from table",
            "/* a comment first */ DROP TABLE findings | drop table",
            "WITH x AS (SELECT * FROM triage) INSERT INTO triage SELECT * FROM x | insert into",
            "INSERT OVERWRITE DIRECTORY '/tmp/out' USING parquet SELECT * FROM incidents | insert into dir",
            "CREATE TABLE copied AS SELECT * FROM incidents | create table as select",
            "ALTER TABLE findings DROP COLUMN score | drop columns",
            "MERGE INTO triage t USING triage s ON t.triage_id = s.triage_id WHEN MATCHED THEN DELETE | merge into table",
            "SET spark.sql.shuffle.partitions = 1 | set",
            "CACHE TABLE incidents | cache table",
            "CREATE TEMPORARY VIEW v AS SELECT 1 | create view"})
    void statementsThatWriteOrChangeStateAreSeen(String sql, String kind) {
        SqlStatement statement = SqlStatement.parse(spark, sql);
        assertThat(statement.write()).as(sql).isPresent();
        assertThat(SqlStatement.words(statement.write().get())).as(sql).isEqualTo(kind);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT count(*) FROM incidents",
            "  select 1 -- a trailing comment",
            "WITH t AS (SELECT * FROM triage) SELECT verdict FROM t",
            "SELECT * FROM findings WHERE score > (SELECT avg(score) FROM findings)",
            "SHOW TABLES",
            "SHOW CREATE TABLE findings",
            "DESCRIBE TABLE findings",
            "DESCRIBE findings score",
            "EXPLAIN SELECT * FROM findings",
            "VALUES (1, 2)",
            "TABLE findings"})
    void readingStatementsAreReadOnly(String sql) {
        assertThat(SqlStatement.parse(spark, sql).write()).as(sql).isEmpty();
    }

    @Test
    void textThatIsNotOneStatementIsAUsageError() {
        assertThatThrownBy(() -> SqlStatement.parse(spark, "SELEC 1"))
                .isInstanceOf(NightshiftException.class)
                .satisfies(e -> assertThat(((NightshiftException) e).exitCode()).isEqualTo(ExitCodes.USAGE))
                .hasMessageStartingWith("cannot parse the SQL: ");
    }

    @Test
    void involvesSeesATableHoweverItIsSpelled() {
        for (String sql : new String[] {"DROP TABLE incident_evidence", "delete from `INCIDENT_EVIDENCE`",
                "DROP TABLE IDENTIFIER('incident_' || 'evidence')"}) {
            assertThat(SqlStatement.parse(spark, sql).involves(spark, "incident_evidence")).as(sql).isTrue();
        }
        assertThat(SqlStatement.parse(spark, "DELETE FROM incident_evidence_archive").involves(spark,
                "incident_evidence")).isFalse();
    }
}
