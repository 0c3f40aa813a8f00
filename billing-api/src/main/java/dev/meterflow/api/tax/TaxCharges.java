package dev.meterflow.api.tax;

import dev.meterflow.api.ApiException;
import dev.meterflow.api.access.Principal;
import dev.meterflow.api.accounts.AccountAccess;
import dev.meterflow.api.accounts.AccountDao.AccountRow;
import dev.meterflow.money.Money;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** The account's last monthly sales tax charges, with its service address and exemption as they stand. */
public final class TaxCharges {

    public static final int MAX_LIMIT = 100;
    /** Shown with the exemption: the pipeline takes the flag, the certificate is checked by people. */
    static final String EXEMPTION_NOTE = "A tax exemption applies once a valid exemption certificate is on file;"
            + " send it to support before turning the exemption on.";

    private final Jdbi jdbi;
    private final AccountAccess access;

    public TaxCharges(Jdbi jdbi, AccountAccess access) {
        this.jdbi = jdbi;
        this.access = access;
    }

    public Taxes latest(Principal user, String accountId, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.badRequest("bad_limit", "limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
        AccountRow account = access.toRead(user, accountId);
        List<TaxCharge> charges = jdbi.withExtension(TaxDao.class, dao -> dao.latest(accountId, limit)).stream()
                .map(TaxCharge::of).toList();
        return new Taxes(Boolean.TRUE.equals(account.taxExempt()), EXEMPTION_NOTE, charges);
    }

    /** The exemption as it stands, the note the page shows beside it, and the charges. */
    public record Taxes(boolean taxExempt, String exemptionNote, List<TaxCharge> charges) {
    }

    /** One TAX ledger entry; its rate in parts per million and as a percentage for people. */
    public record TaxCharge(String entryId, Instant chargedAt, long amountMicros, String amount, String period,
                            String jurisdiction, Long taxableBaseMicros, String taxableBase, Long ratePpm,
                            String rate) {
        static TaxCharge of(TaxDao.TaxLine line) {
            return new TaxCharge(line.entryId(), line.occurredAt(), line.amountMicros(),
                    Money.format(line.amountMicros()), line.taxPeriod(), line.taxJurisdiction(),
                    line.taxableBaseMicros(), line.taxableBaseMicros() == null ? null
                    : Money.format(line.taxableBaseMicros()), line.taxRatePpm(),
                    line.taxRatePpm() == null ? null : TaxRates.percent(line.taxRatePpm()));
        }
    }
}
