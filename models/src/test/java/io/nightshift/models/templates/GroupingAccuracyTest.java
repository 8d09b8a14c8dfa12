package io.nightshift.models.templates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class GroupingAccuracyTest {

    @Test
    void countsALineCorrectOnlyWhenItsGroupMatchesExactly() {
        List<String> truth = List.of("E1", "E1", "E2", "E2", "E3", "E3");
        // t1 == E1 exactly; t2 merges E2 with one E3 line; the other E3 line is alone.
        List<String> predicted = List.of("t1", "t1", "t2", "t2", "t2", "t3");

        assertThat(GroupingAccuracy.of(truth, predicted)).isEqualTo(2.0 / 6);
    }

    @Test
    void isOneForAPerfectRelabelling() {
        assertThat(GroupingAccuracy.of(List.of("a", "b", "a"), List.of("x", "y", "x"))).isEqualTo(1.0);
    }

    @Test
    void rejectsListsOfDifferentLength() {
        assertThatThrownBy(() -> GroupingAccuracy.of(List.of("a"), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Ground truth has 1 lines but the prediction has 0; both must describe the same lines.");
    }
}
