package dev.meterflow.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meterflow.config.AppConfig;
import dev.meterflow.worker.recharge.SoftDeclineLimits;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The soft-decline retry limits (issue 6 item 9): defaults, overrides, and a clear error for a bad value. */
class WorkerConfigTest {

    @Test
    void shouldLimitSoftDeclinesToFourADayAndFifteenIn30DaysByDefault() {
        WorkerConfig config = WorkerConfig.from(new Properties());

        assertThat(config.softDeclineLimits()).isEqualTo(new SoftDeclineLimits(4, 15));
    }

    @Test
    void shouldTakeTheSoftDeclineLimitsFromTheEnvironment() {
        WorkerConfig config = WorkerConfig.load(null, Map.of(
                "METERFLOW_SOFT_DECLINE_MAX_PER_DAY", "2",
                "METERFLOW_SOFT_DECLINE_MAX_PER_30_DAYS", "10"));

        assertThat(config.softDeclineLimits()).isEqualTo(new SoftDeclineLimits(2, 10));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"meterflow.soft-decline.max-per-day", "meterflow.soft-decline.max-per-30-days"})
    void shouldRefuseToStartWithASoftDeclineLimitBelowOne(String key) {
        Properties overrides = new Properties();
        overrides.setProperty(key, "0");

        assertThatThrownBy(() -> WorkerConfig.from(overrides))
                .isInstanceOf(AppConfig.ConfigException.class)
                .hasMessage(key + " must be >= 1, was 0");
    }

    @Test
    void shouldRefuseToStartWithASoftDeclineLimitThatIsNotAWholeNumber() {
        Properties overrides = new Properties();
        overrides.setProperty("meterflow.soft-decline.max-per-day", "four");

        assertThatThrownBy(() -> WorkerConfig.from(overrides))
                .isInstanceOf(AppConfig.ConfigException.class)
                .hasMessage("meterflow.soft-decline.max-per-day must be a whole number, was 'four'");
    }

    @Test
    void shouldRefuseToStartWithAMaximumAmountBelowTheMinimum() {
        Properties overrides = new Properties();
        overrides.setProperty("meterflow.recharge.min-amount-cents", "500");
        overrides.setProperty("meterflow.recharge.max-amount-cents", "100");

        assertThatThrownBy(() -> WorkerConfig.from(overrides))
                .isInstanceOf(AppConfig.ConfigException.class)
                .hasMessage("meterflow.recharge.max-amount-cents must be at least meterflow.recharge.min-amount-cents "
                        + "(500)");
    }

    @Test
    void shouldRefuseToStartWithMoreRequestsInFlightThanTheOffsetMetadataCanName() {
        Properties overrides = new Properties();
        overrides.setProperty("meterflow.max-in-flight", "101");

        assertThatThrownBy(() -> WorkerConfig.from(overrides))
                .isInstanceOf(AppConfig.ConfigException.class)
                .hasMessage("meterflow.max-in-flight must be at most 100 (the open requests travel in the committed "
                        + "offset's metadata), was 101");
    }

    @Test
    void shouldLookUpAParkedBankDebitEveryMinuteByDefault() {
        assertThat(WorkerConfig.from(new Properties()).achPollInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(WorkerConfig.load(null, Map.of("METERFLOW_ACH_POLL_INTERVAL", "PT5S")).achPollInterval())
                .isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void shouldRefuseToStartWithABankDebitPollIntervalOfZero() {
        Properties overrides = new Properties();
        overrides.setProperty("meterflow.ach.poll-interval", "PT0S");

        assertThatThrownBy(() -> WorkerConfig.from(overrides))
                .isInstanceOf(AppConfig.ConfigException.class)
                .hasMessage("meterflow.ach.poll-interval must be above zero, was PT0S");
    }

    @Test
    void shouldAbortHangingAttemptLogTransactionsByDefaultAndRefuseASwitchThatIsNotABoolean() {
        assertThat(WorkerConfig.from(new Properties()).abortHangingTransactions()).isTrue();
        Properties overrides = new Properties();
        overrides.setProperty("meterflow.attempt-log.abort-hanging-transactions", "false");
        assertThat(WorkerConfig.from(overrides).abortHangingTransactions()).isFalse();

        overrides.setProperty("meterflow.attempt-log.abort-hanging-transactions", "yes");
        assertThatThrownBy(() -> WorkerConfig.from(overrides))
                .isInstanceOf(AppConfig.ConfigException.class)
                .hasMessage("meterflow.attempt-log.abort-hanging-transactions must be true or false, was 'yes'");
    }
}
