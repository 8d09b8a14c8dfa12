package io.nightshift.models.templates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StructuredLogCsvTest {

    @TempDir
    Path dir;

    @Test
    void readsQuotedFieldsWithCommasAndDoubledQuotes() throws IOException {
        Path csv = dir.resolve("S_2k.log_structured.csv");
        Files.writeString(csv, "LineId,Level,Content,EventId,EventTemplate\r\n"
                + "1,INFO,\"Registered handlers for [TERM, HUP]\",E22,\"Registered handlers for [TERM, HUP]\"\r\n"
                + "2,WARN,\"said \"\"hi\"\", left\",E5,said <*>\r\n"
                + "3,INFO,plain text,E7,plain text\r\n");

        assertThat(StructuredLogCsv.read(csv)).containsExactly(
                new StructuredLogCsv.LabelledLine("Registered handlers for [TERM, HUP]", "E22"),
                new StructuredLogCsv.LabelledLine("said \"hi\", left", "E5"),
                new StructuredLogCsv.LabelledLine("plain text", "E7"));
    }

    @Test
    void namesTheFileWhenColumnsAreMissing() throws IOException {
        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "LineId,Message\n1,x\n");

        assertThatThrownBy(() -> StructuredLogCsv.read(csv))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("CSV file " + csv + " needs columns Content and EventId; header is [LineId, Message]");
    }
}
