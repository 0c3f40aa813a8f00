package dev.meterflow.local.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --write-figures}: a run's figures replace the section between the markers, and nothing else. */
class FaultsCommandTest {

    @TempDir
    Path dir;

    @Test
    void shouldReplaceOnlyTheFiguresSectionOfTheFile() throws IOException {
        // given a document with prose around an earlier run's figures
        Path file = dir.resolve("RELIABILITY.md");
        Files.writeString(file, "# Reliability\n\nprose before\n\n" + FaultsCommand.FIGURES_START
                + "\nold figures\n" + FaultsCommand.FIGURES_END + "\n\nprose after\n");

        // when a new run writes its figures
        FaultsCommand.writeFigures(file, "new figures\n");

        // then the prose is kept and the figures are the new ones
        assertThat(Files.readString(file)).isEqualTo("# Reliability\n\nprose before\n\n"
                + FaultsCommand.FIGURES_START + "\nnew figures\n" + FaultsCommand.FIGURES_END + "\n\nprose after\n");
    }

    @Test
    void shouldAppendTheFiguresSectionToAFileWithoutOne() throws IOException {
        // given
        Path file = dir.resolve("notes.md");
        Files.writeString(file, "# Notes");

        // when
        FaultsCommand.writeFigures(file, "figures\n");

        // then
        assertThat(Files.readString(file)).isEqualTo("# Notes\n\n" + FaultsCommand.FIGURES_START + "\nfigures\n"
                + FaultsCommand.FIGURES_END + "\n");
    }
}
