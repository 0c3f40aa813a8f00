package dev.meterflow.metering.tax;

/**
 * A sub-account's usage debited from its agency (issue 10, §4 and §5): the agency pays the tax, the sub-account's
 * own service address and exemption decide it. The profile travels with the usage to the agency's task, where the
 * sub-account's settings are not.
 *
 * @param agencyId the account that pays
 * @param profile  the sub-account's tax profile when its usage was routed to the agency
 */
public record BilledToAgency(String agencyId, TaxProfile profile) {
}
