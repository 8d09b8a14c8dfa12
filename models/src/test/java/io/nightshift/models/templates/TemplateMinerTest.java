package io.nightshift.models.templates;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.nightshift.models.features.LocalSpark;

class TemplateMinerTest {

    private static final StructType SCHEMA = new StructType()
            .add("line", DataTypes.IntegerType, false)
            .add("message", DataTypes.StringType, true);

    private static final List<String> LOGS = List.of(
            "Connection from 10.0.0.1:5000 closed after 12ms",
            "Connection from 10.0.0.2:5001 closed after 3.5s",
            "Connection from 192.168.1.20:443 closed after 40ms",
            "Session opened for user alice from 10.0.0.7",
            "Session opened for user bob from 10.0.0.8",
            "Session opened for user carol from 10.0.0.9",
            "Disk /dev/sda1 is 91% full",
            "Disk /dev/sdb2 is 97% full",
            "Scheduler heartbeat ok");

    private static SparkSession spark;

    @BeforeAll
    static void startSpark() {
        spark = LocalSpark.session();
    }

    private static Dataset<Row> messages(List<String> messages) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            rows.add(RowFactory.create(i, messages.get(i)));
        }
        return spark.createDataFrame(rows, SCHEMA);
    }

    private static List<Row> labelled(TemplateMinerModel model, Dataset<Row> input) {
        return model.transform(input).orderBy("line")
                .select("line", "template_id", "template", "is_new_template").collectAsList();
    }

    @Test
    void groupsLinesOfOneTemplateAndSeparatesDifferentTemplates() {
        TemplateMinerModel model = new TemplateMiner().fit(messages(LOGS));
        List<Row> rows = labelled(model, messages(LOGS));

        List<String> templates = rows.stream().map(r -> r.getString(2)).toList();
        assertThat(templates).containsExactly(
                "Connection from <*> closed after <*>", "Connection from <*> closed after <*>",
                "Connection from <*> closed after <*>",
                "Session opened for user <*> from <*>", "Session opened for user <*> from <*>",
                "Session opened for user <*> from <*>",
                "Disk <*> is <*>% full", "Disk <*> is <*>% full",
                "Scheduler heartbeat ok");
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.getString(1)).isEqualTo(MinedTemplate.idOf(r.getString(2))).hasSize(16);
            assertThat(r.getBoolean(3)).isFalse();
        });
        assertThat(model.templateList()).extracting(MinedTemplate::template, MinedTemplate::count).containsExactly(
                tuple("Connection from <*> closed after <*>", 3L),
                tuple("Session opened for user <*> from <*>", 3L),
                tuple("Disk <*> is <*>% full", 2L),
                tuple("Scheduler heartbeat ok", 1L));
    }

    @Test
    void givesTheSameIdsAcrossFitsOnDifferentInputs() {
        List<String> other = new ArrayList<>(LOGS);
        java.util.Collections.reverse(other);
        other.add("Connection from 172.16.0.1:22 closed after 1ms");

        Map<String, String> first = idsByTemplate(new TemplateMiner().fit(messages(LOGS)));
        Map<String, String> second = idsByTemplate(new TemplateMiner().fit(messages(other)));

        assertThat(second).isEqualTo(first);
    }

    private static Map<String, String> idsByTemplate(TemplateMinerModel model) {
        return model.templateList().stream()
                .collect(Collectors.toMap(MinedTemplate::template, MinedTemplate::templateId));
    }

    @Test
    void flagsUnseenMessagesAsNewWithADeterministicId() {
        TemplateMinerModel model = new TemplateMiner().fit(messages(LOGS));
        Dataset<Row> unseen = messages(Arrays.asList(
                "Kernel panic at 0xdeadbeef1 on cpu 3", "Kernel panic at 0x00ff on cpu 1", null,
                "Session opened for user dave from 10.0.0.10",
                "Idempotency key idem_5633766cbf reused; request rejected",
                "Idempotency key idem_a866f73777 reused; request rejected"));

        List<Row> rows = labelled(model, unseen);

        assertThat(rows.get(0).getString(2)).isEqualTo("Kernel panic at <*> on cpu <*>");
        assertThat(rows.get(0).getString(1)).isEqualTo(MinedTemplate.idOf("Kernel panic at <*> on cpu <*>"));
        assertThat(rows.get(0).getBoolean(3)).isTrue();
        assertThat(rows.get(1).getString(1)).isEqualTo(rows.get(0).getString(1));
        assertThat(rows.get(2).isNullAt(1)).isTrue();
        assertThat(rows.get(2).isNullAt(3)).isTrue();
        assertThat(rows.get(3).getString(2)).isEqualTo("Session opened for user <*> from <*>");
        assertThat(rows.get(3).getBoolean(3)).isFalse();
        // Tokens holding digits are parameters of a new shape too, so its lines share one new id.
        assertThat(rows.get(4).getString(2)).isEqualTo("Idempotency key idem_<*> reused; request rejected");
        assertThat(rows.get(5).getString(1)).isEqualTo(rows.get(4).getString(1));
        assertThat(rows.get(4).getBoolean(3)).isTrue();
    }

    @Test
    void rejectsAMissingOrNonStringInputColumnNamingTheColumns() {
        Dataset<Row> input = messages(LOGS);

        assertThatThrownBy(() -> new TemplateMiner().setInputCol("msg").fit(input))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Input column 'msg' does not exist; columns found: [line, message]. Set inputCol to the"
                        + " column holding the raw log message.");
        assertThatThrownBy(() -> new TemplateMiner().setInputCol("line").fit(input))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Input column 'line' must be of type string but is int; columns found: [line, message].");
        assertThatThrownBy(() -> new TemplateMiner().setOutputCol("line").fit(input))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Output column 'line' already exists");
    }

    @Test
    void rejectsInvalidParamValues() {
        assertThatThrownBy(() -> new TemplateMiner().setMinVariableValues(1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minVariableValues");
        assertThatThrownBy(() -> new TemplateMiner().setExtraMaskPatterns("a(b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("extraMaskPatterns");
    }

    @Test
    void fitsOnASampleWhenAskedTo() {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            many.add("Worker " + i + " sent heartbeat");
        }
        TemplateMinerModel model = new TemplateMiner().setSampleFraction(0.5).setSeed(7).fit(messages(many));

        assertThat(model.templateList()).singleElement().satisfies(t -> {
            assertThat(t.template()).isEqualTo("Worker <*> sent heartbeat");
            assertThat(t.count()).isBetween(50L, 150L);
        });
    }

    @Test
    void keepsOnlyTheMostFrequentMessagesWhenCapped() {
        TemplateMinerModel model = new TemplateMiner().setMaxTrainingMessages(1).fit(messages(LOGS));

        assertThat(model.templateList()).hasSize(1);
    }

    @Test
    void roundTripsModelAndEstimatorThroughSaveAndLoad(@TempDir Path dir) throws Exception {
        TemplateMiner miner = new TemplateMiner().setMinVariableValues(3)
                .setExtraMaskPatterns("alice|bob|carol").setTemplateCol("tpl");
        TemplateMinerModel model = miner.fit(messages(LOGS));
        String modelPath = dir.resolve("model").toString();
        String minerPath = dir.resolve("miner").toString();

        model.write().overwrite().save(modelPath);
        model.write().overwrite().save(modelPath);
        miner.write().save(minerPath);
        TemplateMinerModel loaded = TemplateMinerModel.load(modelPath);
        TemplateMiner loadedMiner = TemplateMiner.load(minerPath);

        Dataset<Row> probe = messages(
                Arrays.asList("Session opened for user erin from 10.1.1.1", "Totally new line 7", null));
        assertThat(loaded.uid()).isEqualTo(model.uid());
        assertThat(loaded.templateList()).isEqualTo(model.templateList());
        assertThat(loaded.getExtraMaskPatterns()).containsExactly("alice|bob|carol");
        assertThat(loaded.transform(probe).collectAsList()).isEqualTo(model.transform(probe).collectAsList());
        assertThat(loaded.templates().orderBy(col("count").desc(), col("template")).collectAsList())
                .isEqualTo(model.templates().orderBy(col("count").desc(), col("template")).collectAsList());
        assertThat(loadedMiner.getMinVariableValues()).isEqualTo(3);
        assertThat(loaded.getMinVariableValues()).isEqualTo(3);
        assertThat(loadedMiner.getTemplateCol()).isEqualTo("tpl");
        assertThat(loadedMiner.getExtraMaskPatterns()).containsExactly("alice|bob|carol");
    }

    @Test
    void refusesAModelOfTheDrainBasedMinerWithAMessageThatSaysToRefit(@TempDir Path dir) throws Exception {
        String modelPath = dir.resolve("model").toString();
        new TemplateMiner().fit(messages(LOGS)).write().save(modelPath);
        // What the Drain-based miner saved: the same data, its own params in the metadata.
        Path metadata;
        try (var files = Files.list(dir.resolve("model").resolve("metadata"))) {
            metadata = files.filter(f -> f.getFileName().toString().startsWith("part-")).findFirst().orElseThrow();
        }
        Files.delete(metadata.resolveSibling("." + metadata.getFileName() + ".crc"));
        Files.writeString(metadata, Files.readString(metadata)
                .replace("\"minVariableValues\":5", "\"similarityThreshold\":0.5,\"depth\":4,\"maxChildren\":100"));

        assertThatThrownBy(() -> TemplateMinerModel.load(modelPath))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("The template model at " + modelPath + " was saved by the earlier, Drain-based template"
                        + " miner (params similarityThreshold, depth, maxChildren): its templates were masked and"
                        + " grouped differently, and this version would match few messages to them. Fit a new model"
                        + " (in Nightshift: scripts/nightshift train --date <D>).");
    }
}
