package io.nightshift.models.templates;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class TemplateIndexTest {

    private static MinedTemplate match(TemplateIndex index, String masked) {
        return index.match(MinedTemplate.tokenize(masked));
    }

    @Test
    void picksTheMostSpecificCoveringTemplate() {
        MinedTemplate general = MinedTemplate.of("Connection <*> by <*>", 90);
        MinedTemplate reset = MinedTemplate.of("Connection reset by <*>", 1);
        MinedTemplate variableFirst = MinedTemplate.of("<*> reset by <*>", 5);
        TemplateIndex index = new TemplateIndex(List.of(general, variableFirst, reset));

        assertThat(match(index, "Connection reset by <*>")).isEqualTo(reset);
        assertThat(match(index, "Connection closed by <*>")).isEqualTo(general);
        assertThat(match(index, "Link reset by <*>")).isEqualTo(variableFirst);
    }

    @Test
    void breaksTiesByRankAndMissesOtherLengthsAndWords() {
        MinedTemplate first = MinedTemplate.of("a <*> c", 9);
        MinedTemplate second = MinedTemplate.of("a b <*>", 3);
        TemplateIndex index = new TemplateIndex(List.of(first, second));

        assertThat(match(index, "a b c")).isEqualTo(first);
        assertThat(match(index, "a b c d")).isNull();
        assertThat(match(index, "x b c")).isNull();
        assertThat(match(index, "")).isNull();
    }
}
