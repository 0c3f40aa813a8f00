INSERT INTO accounts (account_id, rate_plan_id, parent_account_id, auto_recharge_enabled, recharge_mode,
                      threshold_micros, target_micros, amount_micros, payment_methods, billing_emails,
                      critical_billing_phone, direct_charge_plan_fee, service_address, tax_exempt, settings_updated_at)
VALUES (:accountId, :ratePlanId, :parentAccountId, :autoRechargeEnabled, :rechargeMode,
        :thresholdMicros, :targetMicros, :amountMicros, CAST(:paymentMethodsJson AS jsonb),
        CAST(:billingEmailsJson AS jsonb), :criticalBillingPhone, :directChargePlanFee,
        CAST(:serviceAddressJson AS jsonb), :taxExempt, :updatedAt)
ON CONFLICT (account_id) DO UPDATE SET
    rate_plan_id = EXCLUDED.rate_plan_id, parent_account_id = EXCLUDED.parent_account_id,
    auto_recharge_enabled = EXCLUDED.auto_recharge_enabled, recharge_mode = EXCLUDED.recharge_mode,
    threshold_micros = EXCLUDED.threshold_micros, target_micros = EXCLUDED.target_micros,
    amount_micros = EXCLUDED.amount_micros, payment_methods = EXCLUDED.payment_methods,
    billing_emails = EXCLUDED.billing_emails, critical_billing_phone = EXCLUDED.critical_billing_phone,
    direct_charge_plan_fee = EXCLUDED.direct_charge_plan_fee, service_address = EXCLUDED.service_address,
    tax_exempt = EXCLUDED.tax_exempt, settings_updated_at = EXCLUDED.settings_updated_at
