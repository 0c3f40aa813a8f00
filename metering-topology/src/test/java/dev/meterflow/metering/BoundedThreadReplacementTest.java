package dev.meterflow.metering;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class BoundedThreadReplacementTest {

    @Test
    void shouldReplaceAFailedThreadUpToTheLimitThenShutTheInstanceDown() {
        BoundedThreadReplacement handler = new BoundedThreadReplacement(2);
        RuntimeException failure = new IllegalStateException("boom");

        assertThat(handler.handle(failure)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(handler.handle(failure)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(handler.handle(failure)).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }

    @Test
    void shouldShutTheInstanceDownWhenTheGlobalThreadFailsBecauseItCannotBeReplaced() throws InterruptedException {
        // issue 16: replacing the global thread failed with "GlobalStreamThread cannot be cast to StreamThread"
        BoundedThreadReplacement handler = new BoundedThreadReplacement(3);
        StreamThreadExceptionResponse[] response = new StreamThreadExceptionResponse[1];
        Thread global = new Thread(() -> response[0] = handler.handle(new IllegalStateException("boom")),
                "metering-1-GlobalStreamThread");
        global.start();
        global.join();

        assertThat(response[0]).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }
}
