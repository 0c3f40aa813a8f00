package dev.meterflow.metering.ledger;

import java.util.List;

/** The outcome of applying one record to an account: its next state and what to publish, in order. */
public record Decision(AccountState state, List<Effect> effects) {

    public Decision {
        effects = List.copyOf(effects);
    }
}
