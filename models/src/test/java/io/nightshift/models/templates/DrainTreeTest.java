package io.nightshift.models.templates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class DrainTreeTest {

    private static String[] tokens(String message) {
        return DrainTree.tokenize(message);
    }

    @Test
    void tokenizesOnAnyWhitespace() {
        assertThat(tokens("  a\tb   c \n")).containsExactly("a", "b", "c");
        assertThat(tokens("")).isEmpty();
    }

    @Test
    void mergesSimilarMessagesByWildcardingTheDifferingTokens() {
        DrainTree tree = new DrainTree(4, 100, 0.5);
        DrainTree.Cluster first = tree.learn(tokens("Receiving block <*> src: <*> dest: <*>"), 1);
        DrainTree.Cluster second = tree.learn(tokens("Receiving block <*> src: <*> dest: <*>"), 2);
        tree.learn(tokens("Connection from alice closed"), 1);
        DrainTree.Cluster merged = tree.learn(tokens("Connection from bob closed"), 1);

        assertThat(second).isSameAs(first);
        assertThat(first.count()).isEqualTo(3);
        assertThat(merged.text()).isEqualTo("Connection from <*> closed");
        assertThat(tree.templates()).extracting(MinedTemplate::template).containsExactly(
                "Receiving block <*> src: <*> dest: <*>", "Connection from <*> closed");
    }

    @Test
    void separatesMessagesOfDifferentLengthOrLowSimilarity() {
        DrainTree tree = new DrainTree(4, 100, 0.5);
        tree.learn(tokens("Starting job now"), 1);
        tree.learn(tokens("Starting job now please"), 1);
        tree.learn(tokens("Starting task quickly"), 1);

        assertThat(tree.templates()).extracting(MinedTemplate::template).containsExactlyInAnyOrder(
                "Starting job now", "Starting job now please", "Starting task quickly");
    }

    @Test
    void routesTokensWithDigitsAndOverflowingTokensToTheWildcardChild() {
        DrainTree tree = new DrainTree(3, 2, 0.5);
        tree.learn(tokens("worker7 started ok"), 1);
        tree.learn(tokens("worker8 started ok"), 1);
        tree.learn(tokens("alpha stopped now"), 1);
        tree.learn(tokens("beta stopped now"), 1);

        // worker7/worker8 share the <*> child: one template. alpha took the last free slot, beta overflowed to <*>.
        assertThat(tree.templates()).extracting(MinedTemplate::template).containsExactlyInAnyOrder(
                "<*> started ok", "alpha stopped now", "beta stopped now");
        assertThat(tree.match(tokens("beta stopped now"))).get()
                .extracting(m -> m.cluster().text()).isEqualTo("beta stopped now");
    }

    @Test
    void matchPrefersTheMostSpecificCoveringTemplate() {
        List<MinedTemplate> templates = List.of(
                MinedTemplate.of("user <*> logged <*>", 5), MinedTemplate.of("user <*> logged in", 3));
        DrainTree tree = DrainTree.ofTemplates(templates, 4, 100, 0.5);

        DrainTree.Match match = tree.match(tokens("user 42 logged in")).orElseThrow();
        assertThat(match.covering()).isTrue();
        assertThat(match.cluster().text()).isEqualTo("user <*> logged in");
        assertThat(tree.match(tokens("user 42 logged out")).orElseThrow().cluster().text())
                .isEqualTo("user <*> logged <*>");
    }

    @Test
    void matchFallsBackToSimilarityAndOtherwiseFindsNothing() {
        DrainTree tree = DrainTree.ofTemplates(List.of(MinedTemplate.of("disk sda is full now", 1)), 4, 100, 0.5);

        DrainTree.Match similar = tree.match(tokens("disk sda is empty now")).orElseThrow();
        assertThat(similar.covering()).isFalse();
        assertThat(similar.cluster().text()).isEqualTo("disk sda is full now");
        assertThat(tree.match(tokens("disk sda was gone today"))).isEmpty();
        assertThat(tree.match(tokens("something else"))).isEmpty();
    }

    @Test
    void validatesItsSettings() {
        assertThatThrownBy(() -> new DrainTree(2, 100, 0.5)).hasMessageContaining("depth must be >= 3");
        assertThatThrownBy(() -> new DrainTree(4, 1, 0.5)).hasMessageContaining("maxChildren must be >= 2");
        assertThatThrownBy(() -> new DrainTree(4, 100, 1.5)).hasMessageContaining("similarityThreshold");
    }
}
