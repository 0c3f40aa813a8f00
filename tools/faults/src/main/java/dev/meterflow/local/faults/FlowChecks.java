package dev.meterflow.local.faults;

import dev.meterflow.gatewaysim.Charge;
import dev.meterflow.gatewaysim.ChargeStatus;
import dev.meterflow.local.reconcile.ChargeEntries;
import dev.meterflow.metering.payments.MakePayment;
import dev.meterflow.metering.payments.PlanFeeRules;
import dev.meterflow.money.Money;
import dev.meterflow.schemas.AccountStatus;
import dev.meterflow.schemas.AccountStatusChanged;
import dev.meterflow.schemas.BillingNotification;
import dev.meterflow.schemas.LedgerEntry;
import dev.meterflow.schemas.LedgerEntryKind;
import dev.meterflow.schemas.NotificationType;
import dev.meterflow.schemas.PaymentCommand;
import dev.meterflow.schemas.RechargeReason;
import dev.meterflow.schemas.RechargeRequest;
import dev.meterflow.schemas.UsageEvent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The checks of issue 10's flows in the fault suite: one-time payments, bank payments, plan fees charged directly,
 * monthly sales tax and agency accounts. Each is a pure function of what the suite sent, what the topics hold and
 * what the gateway simulator recorded; {@link FaultVerifier} reads them and reports each verdict.
 */
final class FlowChecks {

    /** A check's name, what broke it (nothing when it held) and what it counted. */
    record Verdict(String check, List<String> wrong, Map<String, Long> figures) {
        boolean ok() {
            return wrong.isEmpty();
        }
    }

    private FlowChecks() {
    }

    /**
     * Every valid payment command ends in exactly one PAYMENT credit of its amount ({@code sourceId} the command id)
     * or one PAYMENT_DECLINED notice for its request, never both, never two; no PAYMENT credit comes from anything
     * else.
     */
    static Verdict payments(List<PaymentCommand> commands, List<LedgerEntry> ledger,
                            List<BillingNotification> notifications) {
        Map<String, List<LedgerEntry>> credits = ledger.stream().filter(e -> e.getKind() == LedgerEntryKind.PAYMENT)
                .collect(Collectors.groupingBy(LedgerEntry::getSourceId));
        Map<String, Long> declines = notifications.stream()
                .filter(notice -> notice.getType() == NotificationType.PAYMENT_DECLINED)
                .collect(Collectors.groupingBy(notice -> String.valueOf(notice.getAttributes().get("requestId")),
                        Collectors.counting()));
        List<String> wrong = new ArrayList<>();
        long credited = 0;
        long declined = 0;
        for (PaymentCommand command : commands) {
            List<LedgerEntry> own = credits.getOrDefault(command.getCommandId(), List.of());
            long notices = declines.getOrDefault(MakePayment.requestIdOf(command.getAccountId(),
                    command.getCommandId()), 0L);
            if (own.size() + notices != 1) {
                wrong.add(command.getCommandId() + ": " + own.size() + " PAYMENT credits, " + notices
                        + " decline notices; want exactly one of them");
            } else if (own.size() == 1 && (own.get(0).getAmountMicros() != Money.centsToMicros(command.getAmountCents())
                    || !own.get(0).getAccountId().equals(command.getAccountId()))) {
                wrong.add(command.getCommandId() + ": credited " + own.get(0).getAmountMicros() + " micros to "
                        + own.get(0).getAccountId() + ", the command was for " + command.getAmountCents()
                        + " cents of " + command.getAccountId());
            }
            credited += own.size() == 1 && notices == 0 ? 1 : 0;
            declined += notices == 1 && own.isEmpty() ? 1 : 0;
        }
        Set<String> sent = commands.stream().map(PaymentCommand::getCommandId).collect(Collectors.toSet());
        credits.keySet().stream().filter(id -> !sent.contains(id)).sorted()
                .forEach(id -> wrong.add(id + ": a PAYMENT credit of no valid command sent"));
        return new Verdict("every valid payment command: exactly one PAYMENT credit (sourceId = command id) or one "
                + "decline notice, never both, never two", wrong, figures("payment commands (valid)", commands.size(),
                "payments credited", credited, "payments declined (one notice each)", declined));
    }

    /**
     * The gateway's charge log against the ledger: at most one charge per request and payment method (a bank debit
     * too, whatever crashed while it was processing), none still pending, no automatic recharge charged to a bank
     * account, and every successful charge credited once, of its amount: a RECHARGE, PAYMENT or PLAN_FEE_DIRECT
     * entry whose request id is the charge's.
     */
    static Verdict charges(List<Charge> charges, List<LedgerEntry> ledger, List<RechargeRequest> requests) {
        Map<String, List<LedgerEntry>> credits = ledger.stream().filter(ChargeEntries::isCredit)
                .collect(Collectors.groupingBy(ChargeEntries::creditedRequestId));
        Map<String, RechargeReason> reasons = new HashMap<>();
        requests.forEach(request -> reasons.put(request.getRequestId(), request.getReason()));
        List<String> wrong = new ArrayList<>();
        charges.stream().filter(charge -> charge.requestId() != null)
                .collect(Collectors.groupingBy(charge -> charge.requestId() + " on " + charge.paymentMethod(),
                        LinkedHashMap::new, Collectors.counting()))
                .forEach((attempt, times) -> {
                    if (times > 1) {
                        wrong.add(attempt + ": charged " + times + " times");
                    }
                });
        long bank = 0;
        for (Charge charge : charges) {
            if (bank(charge)) {
                bank++;
                if (reasons.get(charge.requestId()) == RechargeReason.AUTO_RECHARGE) {
                    wrong.add(charge.requestId() + ": an automatic recharge charged bank account "
                            + charge.paymentMethod());
                }
            }
            if (charge.status() == ChargeStatus.PENDING) {
                wrong.add(charge.requestId() + ": bank debit " + charge.id() + " still pending");
            }
            if (!charge.succeeded()) {
                continue;
            }
            List<LedgerEntry> own = credits.getOrDefault(charge.requestId(), List.of());
            if (own.size() != 1) {
                wrong.add(charge.requestId() + ": charged " + charge.amountCents() + " cents, " + own.size()
                        + " ledger credits");
            } else if (ChargeEntries.creditedMicros(own.get(0)) != Money.centsToMicros(charge.amountCents())) {
                wrong.add(charge.requestId() + ": charged " + charge.amountCents() + " cents, credited "
                        + ChargeEntries.creditedMicros(own.get(0)) + " micros by " + own.get(0).getKind());
            }
        }
        long succeeded = charges.stream().filter(Charge::succeeded).count();
        return new Verdict("every charge in the gateway's log: one per request and method, settled, credited once "
                + "(RECHARGE, PAYMENT or PLAN_FEE_DIRECT) of its amount; no automatic recharge on a bank account",
                wrong, figures("bank debits (ACH) at the gateway", bank, "bank debits settled", charges.stream()
                        .filter(FlowChecks::bank).filter(Charge::succeeded).count(), "bank debits returned",
                        charges.stream().filter(FlowChecks::bank).filter(c -> c.status() == ChargeStatus.FAILED)
                                .count(), "successful charges credited", succeeded));
    }

    /**
     * A plan fee of an opted-in account gives exactly one of a PLAN_FEE_DIRECT entry (amount 0, the fee charged, a
     * successful charge of it at the gateway) or a USAGE debit of the fee (and then no successful charge), never
     * both.
     */
    static Verdict planFees(List<UsageEvent> fees, Function<UsageEvent, Long> price, List<LedgerEntry> ledger,
                            List<Charge> charges) {
        Map<String, List<LedgerEntry>> bySource = ledger.stream()
                .filter(e -> e.getKind() == LedgerEntryKind.PLAN_FEE_DIRECT || e.getKind() == LedgerEntryKind.USAGE)
                .collect(Collectors.groupingBy(LedgerEntry::getSourceId));
        Map<String, Long> charged = charges.stream().filter(Charge::succeeded).filter(c -> c.requestId() != null)
                .collect(Collectors.toMap(Charge::requestId, Charge::amountCents, Long::sum));
        List<String> wrong = new ArrayList<>();
        long direct = 0;
        long byBank = 0;
        long debited = 0;
        for (UsageEvent fee : fees) {
            List<LedgerEntry> own = bySource.getOrDefault(fee.getEventId(), List.of());
            Long cents = charged.get(PlanFeeRules.requestIdOf(fee.getAccountId(), fee.getEventId()));
            long micros = price.apply(fee);
            if (own.size() != 1) {
                wrong.add(fee.getEventId() + ": " + own.stream().map(LedgerEntry::getKind).toList()
                        + "; want one PLAN_FEE_DIRECT or one USAGE entry");
                continue;
            }
            LedgerEntry entry = own.get(0);
            if (entry.getKind() == LedgerEntryKind.PLAN_FEE_DIRECT) {
                direct++;
                byBank += bank(entry.getPaymentMethodId()) ? 1 : 0;
                if (entry.getAmountMicros() != 0 || entry.getChargedAmountMicros() != micros
                        || cents == null || Money.centsToMicros(cents) != micros) {
                    wrong.add(fee.getEventId() + ": PLAN_FEE_DIRECT of " + entry.getAmountMicros() + " charging "
                            + entry.getChargedAmountMicros() + " micros, the gateway charged " + cents
                            + " cents; the fee is " + micros + " micros");
                }
            } else {
                debited++;
                if (entry.getAmountMicros() != -micros || cents != null) {
                    wrong.add(fee.getEventId() + ": USAGE debit of " + entry.getAmountMicros() + " micros, the gateway "
                            + "charged " + cents + " cents; the fee is " + micros + " micros");
                }
            }
        }
        return new Verdict("every plan fee of an opted-in account: one PLAN_FEE_DIRECT (the fee charged to a card or "
                + "bank account) or one USAGE debit after every method declined, never both", wrong,
                figures("plan fees charged directly", direct, "plan fees charged to a bank account (ACH)", byBank,
                        "plan fees debited after every card declined", debited));
    }

    /**
     * Issue 10, §4: the month before the run, turned by record time, is taxed once: exactly one TAX entry
     * {@code tax:<account>:<yyyy-MM>} per taxed account with taxable usage in it, of round-half-up(base × rate) to
     * the cent, the base being that usage (a plan fee charged to a bank account included, whatever became of its
     * charge); none for an exempt account, and no other TAX entry (a late line, another month, a second run).
     *
     * <p>Unless the run crossed a real month end: the month that ended is then taxed while usage flows, in each task
     * by its first record of the next month (or the wall clock an hour into it), and how much of the month's usage
     * had reached its lines by then is timing; the rest waits for a late line of the next run. So each TAX entry of a
     * run of a month that ended during the suite's run (its own month's line, or a late line of an earlier month) is
     * held to what holds whatever the timing: a taxed account's, one per id, of round-half-up(its own base × the
     * account's rate), and an account's bases for one month, all its entries together, never above its taxable usage
     * of that month in the input.
     *
     * @param endedDuringRun the months that ended between the start of the run and the check ({@link #monthsEnded})
     * @param ratePpmOf      the rate of each taxed account's jurisdiction; accounts not in it must not be taxed
     * @param monthsUsage    every usage event of {@code month} (every sku of the workload's rate card is taxable)
     * @param runUsage       every usage event the run delivered, {@code monthsUsage} included
     */
    static Verdict taxes(YearMonth month, List<YearMonth> endedDuringRun, Map<String, Long> ratePpmOf,
                         List<UsageEvent> monthsUsage, List<UsageEvent> runUsage, Function<UsageEvent, Long> price,
                         List<LedgerEntry> ledger) {
        Map<String, Long> bases = bases(month, ratePpmOf, monthsUsage, price);
        Map<String, Long> expected = expectedTaxes(month, ratePpmOf, monthsUsage, price);
        Map<String, List<LedgerEntry>> byEntryId = ledger.stream().filter(e -> e.getKind() == LedgerEntryKind.TAX)
                .collect(Collectors.groupingBy(LedgerEntry::getEntryId, LinkedHashMap::new, Collectors.toList()));
        List<String> wrong = new ArrayList<>();
        expected.forEach((account, taxMicros) -> {
            String entryId = "tax:" + account + ":" + month;
            List<LedgerEntry> own = byEntryId.getOrDefault(entryId, List.of());
            if (own.size() != 1) {
                wrong.add(entryId + ": " + own.size() + " TAX entries; want one of " + -taxMicros + " micros");
            } else if (own.get(0).getAmountMicros() != -taxMicros
                    || own.get(0).getTaxableBaseMicros() != bases.get(account)
                    || !month.toString().equals(own.get(0).getTaxPeriod())) {
                wrong.add(entryId + ": " + own.get(0).getAmountMicros() + " micros on a base of "
                        + own.get(0).getTaxableBaseMicros() + " for " + own.get(0).getTaxPeriod() + "; want "
                        + -taxMicros + " on " + bases.get(account) + " at " + ratePpmOf.get(account) + " ppm");
            }
        });
        Set<String> wanted = expected.keySet().stream().map(account -> "tax:" + account + ":" + month)
                .collect(Collectors.toSet());
        Map<String, List<LedgerEntry>> midRun = new LinkedHashMap<>();
        Map<String, List<LedgerEntry>> ofMonths = new LinkedHashMap<>();
        byEntryId.forEach((id, own) -> {
            if (endedDuringRun.contains(runMonth(own.get(0)))) {
                midRun.put(id, own);
                ofMonths.put(id, own);
            } else if (wanted.contains(id)) {
                ofMonths.put(id, own);
            } else {
                wrong.add(id + ": a TAX entry of no taxed account's month");
            }
        });
        wrong.addAll(midRunTaxes(ratePpmOf, midRun));
        wrong.addAll(basesAboveUsage(ratePpmOf, runUsage, price, ofMonths));
        long exempt = monthsUsage.stream().map(UsageEvent::getAccountId).filter(id -> !ratePpmOf.containsKey(id))
                .distinct().count();
        long midRunEntries = midRun.values().stream().mapToLong(List::size).sum();
        return new Verdict("the month before the run taxed once by record time: one TAX entry per taxed account, "
                + "round-half-up(taxable usage x rate) to the cent, its bank plan fee included; none for the exempt; "
                + "a month that ended during the run taxed within its usage",
                wrong, figures("accounts taxed for the month before the run", expected.size(),
                        "exempt accounts with taxable usage that month", exempt,
                        "TAX entries", byEntryId.values().stream().mapToLong(List::size).sum() - midRunEntries,
                        "TAX entries of a month that ended during the run", midRunEntries));
    }

    /** The months that ended after {@code start} and by {@code now}, oldest first: their tax runs may have begun. */
    static List<YearMonth> monthsEnded(Instant start, Instant now) {
        List<YearMonth> ended = new ArrayList<>();
        for (YearMonth month = YearMonth.from(start.atZone(ZoneOffset.UTC));
                !month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().isAfter(now);
                month = month.plusMonths(1)) {
            ended.add(month);
        }
        return ended;
    }

    /**
     * The TAX entries posted by the run of a month in {@code months}, one per entry id: a month's own line
     * ({@code taxPeriod} that month) and the late lines it taxed ({@code ...:late:<that month>}).
     */
    static List<LedgerEntry> taxedByTheRunsOf(List<YearMonth> months, List<LedgerEntry> ledger) {
        Map<String, LedgerEntry> once = new LinkedHashMap<>();
        ledger.stream().filter(entry -> entry.getKind() == LedgerEntryKind.TAX)
                .filter(entry -> months.contains(runMonth(entry)))
                .forEach(entry -> once.putIfAbsent(entry.getEntryId(), entry));
        return List.copyOf(once.values());
    }

    /** The month whose run posted the entry: the one after {@code :late:} for a late line, else its tax period. */
    private static YearMonth runMonth(LedgerEntry tax) {
        String id = tax.getEntryId();
        int late = id.lastIndexOf(":late:");
        String month = late >= 0 ? id.substring(late + ":late:".length()) : String.valueOf(tax.getTaxPeriod());
        try {
            return YearMonth.parse(month);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Each entry a taxed account's, alone under its id, its amount round-half-up(its base × the account's rate). */
    private static List<String> midRunTaxes(Map<String, Long> ratePpmOf, Map<String, List<LedgerEntry>> midRun) {
        List<String> wrong = new ArrayList<>();
        midRun.forEach((id, own) -> {
            LedgerEntry entry = own.get(0);
            Long ratePpm = ratePpmOf.get(entry.getSourceAccountId());
            if (ratePpm == null) {
                wrong.add(id + ": a TAX entry of no taxed account's month");
            } else if (own.size() != 1) {
                wrong.add(id + ": " + own.size() + " TAX entries; want at most one");
            } else if (entry.getAmountMicros() != -taxMicros(entry.getTaxableBaseMicros(), ratePpm)) {
                wrong.add(id + ": " + entry.getAmountMicros() + " micros on a base of " + entry.getTaxableBaseMicros()
                        + "; want " + -taxMicros(entry.getTaxableBaseMicros(), ratePpm) + " at " + ratePpm + " ppm");
            }
        });
        return wrong;
    }

    /** No taxed account's bases for a month, all its TAX entries of that month together, above its usage of it. */
    private static List<String> basesAboveUsage(Map<String, Long> ratePpmOf, List<UsageEvent> runUsage,
                                                Function<UsageEvent, Long> price,
                                                Map<String, List<LedgerEntry>> ofMonths) {
        Map<String, Long> usage = new TreeMap<>();
        runUsage.stream().filter(event -> ratePpmOf.containsKey(event.getAccountId()))
                .forEach(event -> usage.merge(event.getAccountId() + " in " + YearMonth.from(
                        event.getOccurredAt().atZone(ZoneOffset.UTC)), price.apply(event), Math::addExact));
        Map<String, Long> taxed = new TreeMap<>();
        ofMonths.values().stream().map(own -> own.get(0))
                .filter(entry -> ratePpmOf.containsKey(entry.getSourceAccountId()))
                .forEach(entry -> taxed.merge(entry.getSourceAccountId() + " in " + entry.getTaxPeriod(),
                        entry.getTaxableBaseMicros(), Math::addExact));
        List<String> wrong = new ArrayList<>();
        taxed.forEach((accountMonth, base) -> {
            long used = usage.getOrDefault(accountMonth, 0L);
            if (base > used) {
                wrong.add("tax of " + accountMonth + ": bases of " + base + " micros taxed, above its taxable "
                        + "usage of " + used + " micros");
            }
        });
        return wrong;
    }

    /** What each taxed account owes for {@code month}: round-half-up(base × rate) to the cent, when not $0.00. */
    static Map<String, Long> expectedTaxes(YearMonth month, Map<String, Long> ratePpmOf, List<UsageEvent> monthsUsage,
                                           Function<UsageEvent, Long> price) {
        Map<String, Long> taxes = new TreeMap<>();
        bases(month, ratePpmOf, monthsUsage, price).forEach((account, base) -> {
            long tax = taxMicros(base, ratePpmOf.get(account));
            if (tax > 0) {
                taxes.put(account, tax);
            }
        });
        return taxes;
    }

    /** Restated here rather than asked of the pipeline: micros × ppm / 10^6, rounded half up to the cent. */
    static long taxMicros(long baseMicros, long ratePpm) {
        BigDecimal product = new BigDecimal(BigInteger.valueOf(baseMicros).multiply(BigInteger.valueOf(ratePpm)));
        return product.divide(BigDecimal.valueOf(Money.MICROS_PER_CENT * 1_000_000L), 0, RoundingMode.HALF_UP)
                .longValueExact() * Money.MICROS_PER_CENT;
    }

    private static Map<String, Long> bases(YearMonth month, Map<String, Long> ratePpmOf, List<UsageEvent> monthsUsage,
                                           Function<UsageEvent, Long> price) {
        Map<String, Long> bases = new TreeMap<>();
        monthsUsage.stream().filter(event -> ratePpmOf.containsKey(event.getAccountId()))
                .filter(event -> YearMonth.from(event.getOccurredAt().atZone(ZoneOffset.UTC)).equals(month))
                .forEach(event -> bases.merge(event.getAccountId(), price.apply(event), Math::addExact));
        return bases;
    }

    /**
     * A sub-account's events are debited on its agency ({@code accountId} the agency, {@code sourceAccountId} the
     * sub-account), and nothing is ever posted on a sub-account.
     */
    static Verdict agencyDebits(Map<String, String> agencyOf, List<UsageEvent> subAccountEvents,
                                List<LedgerEntry> ledger) {
        Map<String, List<LedgerEntry>> bySource = ledger.stream().filter(e -> e.getKind() == LedgerEntryKind.USAGE)
                .collect(Collectors.groupingBy(LedgerEntry::getSourceId));
        List<String> wrong = new ArrayList<>();
        for (UsageEvent event : subAccountEvents) {
            String agency = agencyOf.get(event.getAccountId());
            for (LedgerEntry entry : bySource.getOrDefault(event.getEventId(), List.of())) {
                if (!entry.getAccountId().equals(agency) || !event.getAccountId().equals(entry.getSourceAccountId())) {
                    wrong.add(event.getEventId() + " of " + event.getAccountId() + ": debited on "
                            + entry.getAccountId() + " for " + entry.getSourceAccountId() + "; want on " + agency);
                }
            }
        }
        ledger.stream().filter(entry -> agencyOf.containsKey(entry.getAccountId()))
                .forEach(entry -> wrong.add(entry.getEntryId() + ": posted on sub-account " + entry.getAccountId()));
        long onAgency = ledger.stream().filter(entry -> agencyOf.containsKey(entry.getSourceAccountId())
                && !agencyOf.containsKey(entry.getAccountId())).count();
        return new Verdict("every sub-account's event debited on its agency (sourceAccountId the sub-account), "
                + "nothing posted on a sub-account", wrong, figures("sub-account events debited on their agency",
                onAgency));
    }

    /** Every sub-account's last status is its agency's (ACTIVE when either never changed). */
    static Verdict cascade(Map<String, String> agencyOf, List<AccountStatusChanged> statuses) {
        Map<String, AccountStatus> last = new HashMap<>();
        statuses.forEach(change -> last.put(change.getAccountId(), change.getStatus()));
        List<String> wrong = new ArrayList<>();
        agencyOf.forEach((sub, agency) -> {
            AccountStatus own = last.getOrDefault(sub, AccountStatus.ACTIVE);
            AccountStatus agencys = last.getOrDefault(agency, AccountStatus.ACTIVE);
            if (own != agencys) {
                wrong.add(sub + " ends " + own + ", its agency " + agency + " " + agencys);
            }
        });
        long changes = statuses.stream().filter(change -> agencyOf.containsKey(change.getAccountId())).count();
        return new Verdict("every sub-account's last status is its agency's", wrong,
                figures("sub-account status changes (the agency's cascade)", changes));
    }

    private static boolean bank(Charge charge) {
        return bank(charge.paymentMethod());
    }

    private static boolean bank(String paymentMethodId) {
        return paymentMethodId != null && paymentMethodId.startsWith("pm_usBankAccount_");
    }

    private static Map<String, Long> figures(Object... namesAndValues) {
        Map<String, Long> figures = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            figures.put((String) namesAndValues[i], ((Number) namesAndValues[i + 1]).longValue());
        }
        return figures;
    }
}
