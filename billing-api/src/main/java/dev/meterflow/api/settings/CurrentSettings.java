package dev.meterflow.api.settings;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meterflow.api.ApiException;
import dev.meterflow.api.accounts.AccountDao.AccountRow;
import dev.meterflow.schemas.AccountSettings;
import dev.meterflow.schemas.AutoRecharge;
import dev.meterflow.schemas.AutoRechargeMode;
import dev.meterflow.schemas.PaymentMethodRef;
import dev.meterflow.schemas.PaymentMethodRole;
import dev.meterflow.schemas.PaymentMethodType;
import dev.meterflow.schemas.ServiceAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The account's settings as the read model last saw them, back as the contract record: a change is the whole
 * record with one part replaced, written to the compacted {@code account-settings} topic.
 */
final class CurrentSettings {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CurrentSettings() {
    }

    static AccountSettings.Builder of(AccountRow row) {
        if (row.ratePlanId() == null) {
            throw new ApiException(409, "no_settings_yet", "Account '" + row.accountId() + "' has no billing"
                    + " settings yet; they are created when the account is provisioned.");
        }
        return AccountSettings.newBuilder().setAccountId(row.accountId()).setRatePlanId(row.ratePlanId())
                .setParentAccountId(row.parentAccountId())
                .setAutoRecharge(AutoRecharge.newBuilder().setEnabled(row.autoRechargeEnabled())
                        .setMode(AutoRechargeMode.valueOf(row.rechargeMode())).setThresholdMicros(row.thresholdMicros())
                        .setTargetMicros(row.targetMicros()).setAmountMicros(row.amountMicros()).build())
                .setPaymentMethods(methods(row.paymentMethods()))
                .setBillingEmails(read(row.billingEmails(), new TypeReference<List<String>>() { }))
                .setCriticalBillingPhone(row.criticalBillingPhone())
                .setDirectChargePlanFee(row.directChargePlanFee())
                .setServiceAddress(address(row.serviceAddress()))
                .setTaxExempt(row.taxExempt());
    }

    /** An update time after the current one, so the read model's newer row is recognisably this write. */
    static Instant nextUpdateTime(AccountRow row, Instant now) {
        Instant previous = row.settingsUpdatedAt();
        return previous != null && !now.isAfter(previous) ? previous.plusMillis(1) : now;
    }

    private static List<PaymentMethodRef> methods(String json) {
        return read(json, new TypeReference<List<Map<String, Object>>>() { }).stream()
                .map(m -> PaymentMethodRef.newBuilder().setPaymentMethodId((String) m.get("paymentMethodId"))
                        .setCustomerId((String) m.get("customerId"))
                        .setType(PaymentMethodType.valueOf((String) m.get("type")))
                        .setBrand((String) m.get("brand")).setLast4((String) m.get("last4"))
                        .setRole(PaymentMethodRole.valueOf((String) m.get("role")))
                        .setExpMonth((Integer) m.get("expMonth")).setExpYear((Integer) m.get("expYear")).build())
                .toList();
    }

    private static ServiceAddress address(String json) {
        if (json == null) {
            return null;
        }
        Map<String, String> a = read(json, new TypeReference<Map<String, String>>() { });
        return ServiceAddress.newBuilder().setLine1(a.get("line1")).setCity(a.get("city")).setRegion(a.get("region"))
                .setPostalCode(a.get("postalCode")).setCountry(a.get("country")).build();
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the read model holds invalid settings JSON", e);
        }
    }
}
