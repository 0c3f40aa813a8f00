package dev.meterflow.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meterflow.worker.PartitionProgress.Commit;
import dev.meterflow.worker.PartitionProgress.FinishedBeyond;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Issue 15: the requests that finished behind an open one travel with the committed offset, and are skipped. */
class PartitionProgressTest {

    @Test
    void shouldCommitThePositionWithoutMetadataWhenNothingIsOpen() {
        PartitionProgress progress = fresh();
        handOut(progress, 10, 12);
        LongStream.rangeClosed(10, 12).forEach(progress::close);

        // the position is past a transaction marker: committing it leaves no lag
        assertThat(progress.committable(14)).hasValue(new Commit(14, ""));
    }

    @Test
    void shouldNameTheRequestsFinishedBehindAnOpenOneSoTheNextOwnerSkipsThem() {
        PartitionProgress first = fresh();
        handOut(first, 10, 15);
        List.of(11L, 12L, 14L).forEach(first::close);
        Commit commit = first.committable(16).orElseThrow();
        assertThat(commit.offset()).isEqualTo(10);

        PartitionProgress next = new PartitionProgress(2, FinishedBeyond.decode(commit.offset(), commit.metadata()));

        assertThat(LongStream.rangeClosed(10, 16).filter(next::finishedBefore).toArray()).containsExactly(11, 12, 14);
        assertThat(next.committable(10)).as("nothing new to commit").isEmpty();
    }

    @Test
    void shouldKeepWhatThePreviousOwnerFinishedUntilItIsReadAgain() {
        FinishedBeyond inherited = new FinishedBeyond(10, 20, new TreeSet<>(List.of(10L, 15L)));
        PartitionProgress progress = new PartitionProgress(2, inherited);
        handOut(progress, 10, 12);
        progress.close(10);
        progress.close(11); // skipped as finished before

        Commit commit = progress.committable(13).orElseThrow();

        assertThat(commit.offset()).isEqualTo(12);
        FinishedBeyond said = FinishedBeyond.decode(commit.offset(), commit.metadata());
        assertThat(LongStream.rangeClosed(12, 21).filter(said::finished).toArray())
                .as("13, 14 and 16-20 finished, 12 and 15 not").containsExactly(13, 14, 16, 17, 18, 19, 20);
    }

    @Test
    void shouldCommitPastEverythingThePreviousOwnerFinishedOnceNothingIsOpen() {
        PartitionProgress progress = new PartitionProgress(2, new FinishedBeyond(10, 20, new TreeSet<>(List.of(10L))));
        progress.open(10);
        progress.close(10);

        assertThat(progress.committable(11)).hasValue(new Commit(21, ""));
    }

    @Test
    void shouldReadOnlyItsOwnMetadata() {
        assertThat(FinishedBeyond.decode(5, "").isEmpty()).isTrue();
        assertThat(FinishedBeyond.decode(5, "written by someone else").isEmpty()).isTrue();
        assertThatThrownBy(() -> FinishedBeyond.decode(5, "meterflow-finished:v1 through=x open="))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("through=x");
    }

    private static PartitionProgress fresh() {
        return new PartitionProgress(1, FinishedBeyond.none(-1));
    }

    private static void handOut(PartitionProgress progress, long from, long to) {
        LongStream.rangeClosed(from, to).forEach(progress::open);
    }
}
