package dev.meterflow.local.reconcile;

import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.model.PaymentIntent;
import com.stripe.model.StripeSearchResult;
import com.stripe.param.PaymentIntentSearchParams;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The successful PaymentIntents of a Stripe account, through stripe-java's search
 * ({@code status:'succeeded'}, every page): what the recharge worker creates, with {@code metadata[requestId]}
 * and {@code metadata[accountId]}. Works against the gateway simulator too, which serves the same search.
 *
 * <p>Stripe's search is eventually consistent (a new PaymentIntent can take up to a minute to show), so the
 * reconciliation treats a missing charge of a recently finished request as open, not as a difference.
 * {@code since} is applied here, on {@code created} (whole seconds), not in the query: the simulator's search
 * does not know range clauses.
 */
public final class StripeChargeSource implements ChargeSource {

    private static final long PAGE_SIZE = 100;

    private final StripeClient client;
    private final String baseUrl;

    /** @param apiKey kept by the client only, never printed */
    public StripeChargeSource(String baseUrl, String apiKey) {
        this.client = StripeClient.builder().setApiKey(apiKey).setApiBase(baseUrl).setMaxNetworkRetries(2).build();
        this.baseUrl = baseUrl;
    }

    @Override
    public List<GatewayCharge> successfulCharges(Instant since) {
        List<GatewayCharge> charges = new ArrayList<>();
        String page = null;
        try {
            do {
                PaymentIntentSearchParams.Builder params = PaymentIntentSearchParams.builder()
                        .setQuery("status:'succeeded'").setLimit(PAGE_SIZE);
                if (page != null) {
                    params.setPage(page);
                }
                StripeSearchResult<PaymentIntent> result = client.v1().paymentIntents().search(params.build());
                for (PaymentIntent intent : result.getData()) {
                    Instant created = Instant.ofEpochSecond(intent.getCreated());
                    if (since == null || !created.isBefore(since.truncatedTo(ChronoUnit.SECONDS))) {
                        charges.add(toCharge(intent, created));
                    }
                }
                page = Boolean.TRUE.equals(result.getHasMore()) ? result.getNextPage() : null;
            } while (page != null);
        } catch (StripeException e) {
            throw new IllegalStateException("the gateway at " + baseUrl + " refused the search of payment intents: "
                    + e.getMessage(), e);
        }
        return charges;
    }

    private static GatewayCharge toCharge(PaymentIntent intent, Instant created) {
        Map<String, String> metadata = intent.getMetadata() == null ? Map.of() : intent.getMetadata();
        long amount = intent.getAmountReceived() != null && intent.getAmountReceived() > 0
                ? intent.getAmountReceived() : intent.getAmount();
        return new GatewayCharge(intent.getId(), metadata.get("requestId"), metadata.get("accountId"), amount, created);
    }

    @Override
    public String describe() {
        return "payment intents at " + baseUrl;
    }
}
