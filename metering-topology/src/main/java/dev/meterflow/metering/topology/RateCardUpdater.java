package dev.meterflow.metering.topology;

import dev.meterflow.schemas.RateCard;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** Keeps the global rate-card store equal to the compacted {@code rate-cards} topic. */
final class RateCardUpdater implements Processor<String, RateCard, Void, Void> {

    private final RatePlanCache cache;
    private KeyValueStore<String, RateCard> store;

    RateCardUpdater(RatePlanCache cache) {
        this.cache = cache;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(StoreNames.RATE_CARDS);
    }

    @Override
    public void process(Record<String, RateCard> record) {
        if (record.value() == null) {
            store.delete(record.key());
        } else {
            store.put(record.key(), record.value());
        }
        cache.invalidate(record.key());
    }
}
