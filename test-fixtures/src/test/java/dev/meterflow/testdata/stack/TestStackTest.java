package dev.meterflow.testdata.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lifecycle every integration-test stack shares: what runs is stopped once, whatever failed. */
class TestStackTest {

    @Test
    void shouldStopThePartsAlreadyRunningWhenOneFailsToStart() {
        RecordingStack stack = new RecordingStack(TestStack.Scope.CLASS, true);

        assertThatThrownBy(stack::start).hasMessage("the second part did not start");

        assertThat(stack.events).containsExactly("start", "stop");
        stack.close();
        assertThat(stack.events).as("nothing left to stop").containsExactly("start", "stop");
    }

    @Test
    void shouldStartAPerTestStackBeforeEachTestAndStopItAfter() {
        RecordingStack stack = new RecordingStack(TestStack.Scope.TEST, false);

        stack.beforeAll(null);
        stack.beforeEach(null);
        stack.afterEach(null);
        stack.beforeEach(null);
        stack.afterEach(null);
        stack.afterAll(null);

        assertThat(stack.events).containsExactly("start", "stop", "start", "stop");
    }

    @Test
    void shouldSayHowToRegisterAPerClassStackThatIsNotAStaticField() {
        RecordingStack stack = new RecordingStack(TestStack.Scope.CLASS, false);

        assertThatThrownBy(() -> stack.beforeEach(null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("a stack per class must be a static @RegisterExtension field");
    }

    private static final class RecordingStack extends TestStack {
        private final boolean failToStart;
        private final List<String> events = new ArrayList<>();

        RecordingStack(Scope scope, boolean failToStart) {
            super(scope);
            this.failToStart = failToStart;
        }

        @Override
        protected void startParts() {
            events.add("start");
            if (failToStart) {
                throw new IllegalStateException("the second part did not start");
            }
        }

        @Override
        protected void stopParts() {
            events.add("stop");
        }
    }
}
