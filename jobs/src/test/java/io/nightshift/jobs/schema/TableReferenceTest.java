package io.nightshift.jobs.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.nightshift.jobs.TestSpark;

/** The table reference in docs/ is the code's: one source of truth. */
class TableReferenceTest {
    @Test
    void docsTablesMdIsWhatTheTableDefinitionsSay() throws Exception {
        Path doc = TestSpark.repoRoot().resolve("docs/tables.md");
        assertThat(Files.readString(doc)).as("docs/tables.md is out of date; regenerate it with "
                + "scripts/nightshift tables --markdown > docs/tables.md").isEqualTo(TableReference.markdown());
    }

    @Test
    void everyTableAndColumnIsInBothForms() {
        String text = TableReference.text();
        String markdown = TableReference.markdown();
        for (ResultTable t : ResultTables.all()) {
            assertThat(text).contains(t.name() + " — " + t.description());
            assertThat(markdown).contains("## `" + t.name() + "`");
            for (String column : t.schema().fieldNames()) {
                assertThat(markdown).contains("| `" + column + "` |");
            }
        }
    }
}
