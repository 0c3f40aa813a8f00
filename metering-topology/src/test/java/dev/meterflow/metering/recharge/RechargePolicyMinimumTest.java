package dev.meterflow.metering.recharge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.metering.ledger.AutoRechargePolicy;
import dev.meterflow.metering.ledger.AutoRechargePolicy.Mode;
import org.junit.jupiter.api.Test;

class RechargePolicyMinimumTest {

    @Test
    void shouldRaiseATopUpBelowTheGatewaysMinimumChargeToFiftyCents() {
        // a balance 12 cents under a target of $15: the gateway would refuse a 12-cent charge
        AutoRechargePolicy policy = new AutoRechargePolicy(true, Mode.TOP_UP_TO_TARGET, 15_000_000, 15_000_000, 0);

        assertThat(RechargePolicy.amountCents(policy, 14_880_000)).isEqualTo(50);
    }

    @Test
    void shouldChargeNothingWhenTheBalanceIsAlreadyAtTheTarget() {
        AutoRechargePolicy policy = new AutoRechargePolicy(true, Mode.TOP_UP_TO_TARGET, 15_000_000, 15_000_000, 0);

        assertThat(RechargePolicy.amountCents(policy, 15_000_000)).isZero();
    }
}
