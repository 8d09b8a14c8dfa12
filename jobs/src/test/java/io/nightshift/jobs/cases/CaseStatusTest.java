package io.nightshift.jobs.cases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import io.nightshift.jobs.base.NightshiftException;

class CaseStatusTest {
    private static final String ID = "INC-20261118-0000000a";

    @Test
    void theCaseMovesForwardAndFalsePositiveIsReachableFromEveryOpenState() {
        assertThat(CaseStatus.NEW.canMoveTo(CaseStatus.OPEN)).isTrue();
        assertThat(CaseStatus.OPEN.canMoveTo(CaseStatus.CONTAINED)).isTrue();
        assertThat(CaseStatus.CONTAINED.canMoveTo(CaseStatus.RESOLVED)).isTrue();
        assertThat(CaseStatus.RESOLVED.canMoveTo(CaseStatus.CLOSED)).isTrue();
        for (CaseStatus s : CaseStatus.values()) {
            assertThat(s.canMoveTo(CaseStatus.FALSE_POSITIVE)).as(s.word()).isEqualTo(s.isOpen());
        }
        assertThat(CaseStatus.CONTAINED.canMoveTo(CaseStatus.OPEN)).isFalse();
        assertThat(CaseStatus.CONTAINED.canMoveTo(CaseStatus.CLOSED)).isFalse();
        assertThat(CaseStatus.CLOSED.isFinal()).isTrue();
        assertThat(CaseStatus.FALSE_POSITIVE.isFinal()).isTrue();
    }

    @Test
    void anIllegalMoveNamesTheCurrentStatusAndTheAllowedOnes() {
        assertThatThrownBy(() -> CaseStatus.CONTAINED.requireMove(ID, CaseStatus.CLOSED, "incident close"))
                .isInstanceOf(NightshiftException.class)
                .hasMessageContaining(ID).hasMessageContaining("from contained to closed")
                .hasMessageContaining("it can move to resolved, false_positive");
        assertThatThrownBy(() -> CaseStatus.CLOSED.requireMove(ID, CaseStatus.OPEN, "x"))
                .hasMessageContaining("closed is final");
    }

    @Test
    void actionsMoveTheCaseOrLeaveIt() {
        assertThat(ActionKind.INVESTIGATE.statusAfter(ID, CaseStatus.NEW)).isEqualTo(CaseStatus.OPEN);
        assertThat(ActionKind.INVESTIGATE.statusAfter(ID, CaseStatus.CONTAINED)).isEqualTo(CaseStatus.CONTAINED);
        assertThat(ActionKind.CONTAIN.statusAfter(ID, CaseStatus.OPEN)).isEqualTo(CaseStatus.CONTAINED);
        assertThat(ActionKind.CONTAIN.statusAfter(ID, CaseStatus.CONTAINED)).isEqualTo(CaseStatus.CONTAINED);
        assertThat(ActionKind.ERADICATE.statusAfter(ID, CaseStatus.CONTAINED)).isEqualTo(CaseStatus.CONTAINED);
        assertThat(ActionKind.RECOVER.statusAfter(ID, CaseStatus.CONTAINED)).isEqualTo(CaseStatus.RESOLVED);
        assertThat(ActionKind.NOTE.statusAfter(ID, CaseStatus.CLOSED)).isEqualTo(CaseStatus.CLOSED);
        assertThat(ActionKind.NOTIFY_CUSTOMERS.statusAfter(ID, CaseStatus.RESOLVED)).isEqualTo(CaseStatus.RESOLVED);
        assertThatThrownBy(() -> ActionKind.CONTAIN.statusAfter(ID, CaseStatus.RESOLVED))
                .hasMessageContaining("contain is not possible on incident " + ID + ", which is resolved")
                .hasMessageContaining("it can move to");
        assertThatThrownBy(() -> ActionKind.ERADICATE.statusAfter(ID, CaseStatus.NEW))
                .hasMessageContaining("eradicate is allowed when it is open, contained");
        assertThatThrownBy(() -> ActionKind.parse("reboot")).hasMessageContaining("investigate, contain, eradicate, "
                + "recover, notify-customers, note");
        assertThat(ActionKind.parse("notify-customers")).isEqualTo(ActionKind.NOTIFY_CUSTOMERS);
    }
}
