package dev.meterflow.local.reconcile;

import dev.meterflow.money.Money;
import dev.meterflow.schemas.AccountBalance;
import dev.meterflow.schemas.BillingNotification;
import dev.meterflow.schemas.LedgerEntry;
import dev.meterflow.schemas.NotificationType;
import dev.meterflow.schemas.PaymentResult;
import dev.meterflow.schemas.PaymentStatus;
import dev.meterflow.schemas.Receipt;
import dev.meterflow.schemas.RechargeRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The comparison itself, a pure function of the records read: no Kafka, no gateway, no clock of its own.
 *
 * <p>Rules:
 * <ul>
 *   <li>The ledger is always replayed whole ({@code since} does not apply): a balance is the sum of all entries.</li>
 *   <li>A request is compared when it was requested at or after {@code since}; its results, credits, receipts,
 *       notices and charges with it. A result, credit, receipt, notice or charge whose request is on no
 *       {@code recharge-requests} record is compared when it is itself at or after {@code since}.</li>
 *   <li>Unfinished is not wrong while young: a request without a result, or a SUCCEEDED result without its
 *       credit, receipt, notice or charge, is {@linkplain OpenItem open} while its request (or result) is
 *       younger than {@code grace}; older, it is a difference. The grace also covers the delay with which
 *       Stripe's search shows a new charge. A request without a result whose PAYMENT_PROCESSING notice was
 *       sent is open however old: its bank debit settles in days.</li>
 *   <li>A SUCCEEDED result obliges exactly one credit, receipt, receipt notice and successful charge, each of
 *       its amount, only if its request exists (a result without a request is itself the difference).</li>
 * </ul>
 */
public final class Reconciler {

    private final Instant now;
    private final Duration grace;
    private final Instant since;
    private final List<Difference> differences = new ArrayList<>();
    private final List<OpenItem> open = new ArrayList<>();

    private Reconciler(Instant now, Duration grace, Instant since) {
        this.now = now;
        this.grace = grace;
        this.since = since;
    }

    /**
     * @param now   the time of the run, for the grace period
     * @param grace how young an unfinished request may be and be open rather than a difference
     * @param since compare only requests from this instant, or {@code null} for all
     */
    public static ReconciliationReport compare(ReconciliationInput input, Instant now, Duration grace, Instant since) {
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(grace, "grace");
        return new Reconciler(now, grace, since).run(input);
    }

    private ReconciliationReport run(ReconciliationInput input) {
        long undecodableDeadLettered = reconcileUndecodable(input);
        long accounts = reconcileLedger(input.ledgerEntries(), input.balances());
        Requests requests = new Requests(input);
        reconcileResults(requests, input.ledgerEntries());
        reconcileReceipts(requests, input.receipts(), input.notifications());
        List<UsageAccounting.PartitionFigures> usage = null;
        if (input.usage() != null) {
            UsageAccounting.Result accounted = UsageAccounting.account(input.usage());
            differences.addAll(accounted.differences());
            usage = accounted.partitions();
        }
        long charges = 0;
        long foreign = 0;
        if (input.charges() != null) {
            foreign = input.charges().stream().filter(charge -> charge.requestId() == null).count();
            charges = input.charges().size() - foreign;
            reconcileCharges(requests, input.charges());
        }
        differences.sort(Comparator.comparing(Difference::check)
                .thenComparing(Difference::accountId, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(Difference::requestId, Comparator.nullsFirst(Comparator.naturalOrder())));
        long results = requests.resultsById.values().stream().mapToLong(List::size).sum();
        long credits = input.ledgerEntries().stream().filter(ChargeEntries::isCredit).count();
        ReconciliationReport.Counts counts = new ReconciliationReport.Counts(accounts, input.ledgerEntries().size(),
                requests.inScope.size(), results, requests.succeeded.size(), credits, input.receipts().size(),
                receiptNotices(input.notifications()).size(), charges, foreign, undecodableDeadLettered);
        return new ReconciliationReport(differences, open, counts, input.charges() != null, since, grace, usage);
    }

    /**
     * An undecodable record on a compared topic is accounted for when a dead letter queue holds it: the app that
     * reads the topic refused it (metering an undecodable payment result, the worker an undecodable request), so
     * it was never taken for a payment or a request. One no queue holds may have been lost: a difference.
     *
     * @return how many were dead-lettered
     */
    private long reconcileUndecodable(ReconciliationInput input) {
        long deadLettered = 0;
        for (ReconciliationInput.Undecodable bad : input.undecodable()) {
            if (input.deadLettered().contains(bad.source())) {
                deadLettered++;
            } else {
                diff(bad.check(), null, null, "undecodable record at " + bad.location() + ", in no dead letter "
                        + "queue: " + bad.reason());
            }
        }
        return deadLettered;
    }

    // ---- ledger replay = balances --------------------------------------------------------------------------

    private long reconcileLedger(List<LedgerEntry> entries, List<AccountBalance> balances) {
        Map<String, List<LedgerEntry>> byAccount = group(entries, LedgerEntry::getAccountId);
        group(entries, LedgerEntry::getEntryId).forEach((entryId, same) -> {
            if (same.size() > 1) {
                diff(Check.LEDGER, same.get(0).getAccountId(), null, "entryId '" + entryId + "' appears "
                        + same.size() + " times on ledger-entries (a doubled entry)");
            }
        });
        Map<String, AccountBalance> latest = new LinkedHashMap<>();
        balances.forEach(balance -> latest.put(balance.getAccountId(), balance));
        TreeSet<String> accounts = new TreeSet<>(byAccount.keySet());
        accounts.addAll(latest.keySet());
        for (String account : accounts) {
            List<LedgerEntry> own = byAccount.getOrDefault(account, List.of());
            Long sum = replay(account, own);
            AccountBalance balance = latest.get(account);
            if (sum == null) {
                continue;
            }
            if (balance == null) {
                diff(Check.LEDGER, account, null, "no account-balances record; its " + own.size()
                        + " ledger entries sum to " + micros(sum));
            } else if (balance.getBalanceMicros() != sum) {
                diff(Check.LEDGER, account, null, "account-balances says " + micros(balance.getBalanceMicros())
                        + ", its " + own.size() + " ledger entries sum to " + micros(sum) + " (off by "
                        + micros(balance.getBalanceMicros() - sum) + ")");
            }
        }
        return accounts.size();
    }

    /** The sum of an account's entries, reporting the first entry whose balanceAfterMicros is not the running sum. */
    private Long replay(String account, List<LedgerEntry> entries) {
        long running = 0;
        boolean broken = false;
        for (int i = 0; i < entries.size(); i++) {
            LedgerEntry entry = entries.get(i);
            long previous = running;
            try {
                running = Math.addExact(running, entry.getAmountMicros());
            } catch (ArithmeticException e) {
                diff(Check.LEDGER, account, null, "the ledger entries overflow a long at entry '"
                        + entry.getEntryId() + "'");
                return null;
            }
            if (!broken && entry.getBalanceAfterMicros() != running) {
                broken = true;
                diff(Check.LEDGER, account, null, "running sum breaks at entry '" + entry.getEntryId() + "' ("
                        + (i + 1) + " of " + entries.size() + "): balanceAfterMicros " + entry.getBalanceAfterMicros()
                        + ", expected " + running + " (" + previous + " + " + entry.getAmountMicros() + ")");
            }
        }
        return running;
    }

    // ---- recharge requests = payment results = ledger credits ----------------------------------------------

    private void reconcileResults(Requests requests, List<LedgerEntry> entries) {
        for (String requestId : requests.inScope) {
            List<RechargeRequest> same = requests.byId.get(requestId);
            RechargeRequest request = same.get(0);
            String account = request.getAccountId();
            if (same.size() > 1) {
                diff(Check.RESULTS, account, requestId, "requestId appears " + same.size()
                        + " times on recharge-requests; expected once");
            }
            List<PaymentResult> results = requests.resultsById.getOrDefault(requestId, List.of());
            if (results.isEmpty() && requests.processing.contains(requestId)) {
                // a bank debit (ACH) is parked for up to 4 business days: open, however old (issue 10 §2)
                open.add(new OpenItem(Check.RESULTS, account, requestId, "bank payment of "
                        + cents(request.getAmountCents()) + " processing (PAYMENT_PROCESSING sent), no result yet"));
            } else if (results.isEmpty()) {
                unfinished(Check.RESULTS, account, requestId, request.getRequestedAt(), "no payment result for the "
                        + cents(request.getAmountCents()) + " request of " + request.getRequestedAt());
            } else if (results.size() > 1) {
                diff(Check.RESULTS, account, requestId, results.size() + " payment results "
                        + results.stream().map(r -> r.getStatus() + " " + cents(r.getAmountCents())).toList()
                        + "; expected exactly one");
            }
            for (PaymentResult result : results) {
                if (!account.equals(result.getAccountId())) {
                    diff(Check.RESULTS, account, requestId, "payment result names account '" + result.getAccountId()
                            + "', the request '" + account + "'");
                }
                if (result.getAmountCents() != request.getAmountCents()) {
                    diff(Check.RESULTS, account, requestId, "payment result " + result.getStatus() + " for "
                            + cents(result.getAmountCents()) + ", the request was for "
                            + cents(request.getAmountCents()));
                }
            }
        }
        requests.resultsById.forEach((requestId, results) -> {
            if (!requests.byId.containsKey(requestId)) {
                results.stream().filter(result -> inScope(result.getCompletedAt())).forEach(result ->
                        diff(Check.RESULTS, result.getAccountId(), requestId, "payment result " + result.getStatus()
                                + " for " + cents(result.getAmountCents()) + " with no recharge request"));
            }
        });
        Map<String, List<LedgerEntry>> credits = group(entries.stream().filter(ChargeEntries::isCredit).toList(),
                ChargeEntries::creditedRequestId);
        requests.obliged().forEach(result -> {
            List<LedgerEntry> own = credits.getOrDefault(result.getRequestId(), List.of());
            expectOne(Check.RESULTS, result, own.size(), "RECHARGE ledger entry (paid, not credited)",
                    "RECHARGE ledger entries (credited more than once)");
            if (own.size() == 1
                    && ChargeEntries.creditedMicros(own.get(0)) != Money.centsToMicros(result.getAmountCents())) {
                diff(Check.RESULTS, result.getAccountId(), result.getRequestId(), "credited "
                        + micros(ChargeEntries.creditedMicros(own.get(0))) + ", the result SUCCEEDED for "
                        + cents(result.getAmountCents()));
            }
        });
        credits.forEach((requestId, own) -> {
            if (!requests.succeeded.containsKey(requestId) && requests.compared(requestId, own.get(0).getPostedAt())) {
                diff(Check.RESULTS, own.get(0).getAccountId(), requestId, own.get(0).getKind() + " ledger entry '"
                        + own.get(0).getEntryId() + "' of " + micros(ChargeEntries.creditedMicros(own.get(0)))
                        + " without a SUCCEEDED payment result");
            }
        });
    }

    // ---- succeeded results = receipts ----------------------------------------------------------------------

    private void reconcileReceipts(Requests requests, List<Receipt> receipts, List<BillingNotification> all) {
        Map<String, List<Receipt>> receiptsById = group(receipts, Receipt::getRequestId);
        List<BillingNotification> notices = receiptNotices(all);
        notices.stream().filter(notice -> notice.getAttributes().get("requestId") == null).forEach(notice ->
                diff(Check.RECEIPTS, notice.getAccountId(), null, "RECHARGE_RECEIPT notice '"
                        + notice.getNotificationId() + "' names no requestId"));
        Map<String, List<BillingNotification>> noticesById = group(notices.stream()
                .filter(notice -> notice.getAttributes().get("requestId") != null).toList(),
                notice -> notice.getAttributes().get("requestId"));
        requests.obliged().forEach(result -> {
            List<Receipt> own = receiptsById.getOrDefault(result.getRequestId(), List.of());
            expectOne(Check.RECEIPTS, result, own.size(), "receipt", "receipts");
            own.stream().filter(receipt -> receipt.getAmountCents() != result.getAmountCents()).forEach(receipt ->
                    diff(Check.RECEIPTS, result.getAccountId(), result.getRequestId(), "receipt '"
                            + receipt.getReceiptId() + "' for " + cents(receipt.getAmountCents())
                            + ", the result SUCCEEDED for " + cents(result.getAmountCents())));
            expectOne(Check.RECEIPTS, result, noticesById.getOrDefault(result.getRequestId(), List.of()).size(),
                    "RECHARGE_RECEIPT notice", "RECHARGE_RECEIPT notices");
        });
        receiptsById.forEach((requestId, own) -> {
            if (!requests.succeeded.containsKey(requestId) && requests.compared(requestId, own.get(0).getChargedAt())) {
                diff(Check.RECEIPTS, own.get(0).getAccountId(), requestId, own.size() + " receipt(s) of "
                        + cents(own.get(0).getAmountCents()) + " without a SUCCEEDED payment result");
            }
        });
        noticesById.forEach((requestId, own) -> {
            if (!requests.succeeded.containsKey(requestId) && requests.compared(requestId, own.get(0).getAt())) {
                diff(Check.RECEIPTS, own.get(0).getAccountId(), requestId, own.size()
                        + " RECHARGE_RECEIPT notice(s) without a SUCCEEDED payment result");
            }
        });
    }

    // ---- receipts = the gateway's charges ------------------------------------------------------------------

    private void reconcileCharges(Requests requests, List<GatewayCharge> charges) {
        Map<String, List<GatewayCharge>> byRequest = group(charges.stream()
                .filter(charge -> charge.requestId() != null).toList(), GatewayCharge::requestId);
        requests.obliged().forEach(result -> {
            List<GatewayCharge> own = byRequest.getOrDefault(result.getRequestId(), List.of());
            if (own.size() > 1) {
                diff(Check.CHARGES, result.getAccountId(), result.getRequestId(), "charged " + own.size()
                        + " times " + describe(own) + "; one SUCCEEDED result for " + cents(result.getAmountCents())
                        + " (duplicate charge)");
            } else if (own.isEmpty()) {
                unfinished(Check.CHARGES, result.getAccountId(), result.getRequestId(), result.getCompletedAt(),
                        "SUCCEEDED for " + cents(result.getAmountCents()) + " but no successful charge at the gateway");
            } else if (own.get(0).amountCents() != result.getAmountCents()) {
                diff(Check.CHARGES, result.getAccountId(), result.getRequestId(), "the gateway charged "
                        + describe(own) + ", the result SUCCEEDED for " + cents(result.getAmountCents()));
            }
        });
        byRequest.forEach((requestId, own) -> {
            if (requests.succeeded.containsKey(requestId) || !requests.compared(requestId, own.get(0).createdAt())) {
                return;
            }
            String account = own.get(0).accountId();
            List<RechargeRequest> request = requests.byId.get(requestId);
            List<PaymentResult> results = requests.resultsById.getOrDefault(requestId, List.of());
            if (own.size() > 1) {
                diff(Check.CHARGES, account, requestId, "charged " + own.size() + " times " + describe(own)
                        + " (duplicate charge)");
            }
            if (request != null && results.isEmpty() && young(request.get(0).getRequestedAt())) {
                open.add(new OpenItem(Check.CHARGES, account, requestId, "charged " + describe(own)
                        + ", payment result not written yet"));
                return;
            }
            String found = request == null ? "no recharge request and no SUCCEEDED payment result"
                    : results.isEmpty() ? "no payment result"
                    : "payment result " + results.stream().map(PaymentResult::getStatus).toList();
            diff(Check.CHARGES, account, requestId, "charged " + describe(own) + " at the gateway but " + found
                    + " (charged, not credited)");
        });
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    /** The requests compared and their results, by requestId. */
    private final class Requests {
        final Map<String, List<RechargeRequest>> byId;
        final Map<String, List<PaymentResult>> resultsById;
        final List<String> inScope;
        /** The first SUCCEEDED result of every requestId, its request compared or not known. */
        final Map<String, PaymentResult> succeeded = new LinkedHashMap<>();
        /** Requests whose bank debit the worker parked until it settles: their PAYMENT_PROCESSING notice was sent. */
        final Set<String> processing;

        Requests(ReconciliationInput input) {
            byId = group(input.requests(), RechargeRequest::getRequestId);
            resultsById = group(input.results(), PaymentResult::getRequestId);
            processing = input.notifications().stream()
                    .filter(notice -> notice.getType() == NotificationType.PAYMENT_PROCESSING)
                    .map(notice -> notice.getAttributes().get("requestId")).filter(Objects::nonNull)
                    .collect(Collectors.toSet());
            inScope = byId.entrySet().stream().filter(entry -> inScope(entry.getValue().get(0).getRequestedAt()))
                    .map(Map.Entry::getKey).toList();
            input.results().stream().filter(result -> result.getStatus() == PaymentStatus.SUCCEEDED)
                    .filter(result -> compared(result.getRequestId(), result.getCompletedAt()))
                    .forEach(result -> succeeded.putIfAbsent(result.getRequestId(), result));
        }

        /** Whether something of this request is compared: its request is, or (no request) it is recent enough. */
        boolean compared(String requestId, Instant at) {
            List<RechargeRequest> request = byId.get(requestId);
            return request != null ? inScope(request.get(0).getRequestedAt()) : inScope(at);
        }

        /** The SUCCEEDED results that oblige a credit, a receipt, a notice and a charge: their request is compared. */
        List<PaymentResult> obliged() {
            return succeeded.values().stream().filter(result -> byId.containsKey(result.getRequestId())).toList();
        }
    }

    private void expectOne(Check check, PaymentResult result, int found, String one, String many) {
        if (found == 0) {
            unfinished(check, result.getAccountId(), result.getRequestId(), result.getCompletedAt(),
                    "SUCCEEDED for " + cents(result.getAmountCents()) + " but no " + one);
        } else if (found > 1) {
            diff(check, result.getAccountId(), result.getRequestId(), found + " " + many + "; expected exactly one");
        }
    }

    /** Open while {@code since} is within the grace period, a difference after. */
    private void unfinished(Check check, String account, String requestId, Instant since, String detail) {
        if (young(since)) {
            open.add(new OpenItem(check, account, requestId, detail + " yet"));
        } else {
            differences.add(new Difference(check, account, requestId, detail));
        }
    }

    private boolean young(Instant at) {
        return at != null && at.isAfter(now.minus(grace));
    }

    private boolean inScope(Instant at) {
        return since == null || at == null || !at.isBefore(since);
    }

    private void diff(Check check, String account, String requestId, String detail) {
        differences.add(new Difference(check, account, requestId, detail));
    }

    private static List<BillingNotification> receiptNotices(List<BillingNotification> notifications) {
        return notifications.stream().filter(notice -> notice.getType() == NotificationType.RECHARGE_RECEIPT).toList();
    }

    private static <T> Map<String, List<T>> group(List<T> items, Function<T, String> key) {
        return items.stream().collect(Collectors.groupingBy(key, LinkedHashMap::new, Collectors.toList()));
    }

    private static String describe(List<GatewayCharge> charges) {
        return charges.stream().map(charge -> charge.id() + " " + cents(charge.amountCents()))
                .collect(Collectors.joining(", ", "[", "]"));
    }

    private static String micros(long micros) {
        return micros + " micros (" + Money.format(micros) + ")";
    }

    private static String cents(long cents) {
        return cents + " cents";
    }

    /** One line of the report: {@code CHECK account='a' requestId='r': detail}. */
    static String line(Check check, String accountId, String requestId, String detail) {
        return check + (accountId == null ? "" : " account='" + accountId + "'")
                + (requestId == null ? "" : " requestId='" + requestId + "'") + ": " + detail;
    }
}
