INSERT INTO settings_versions (account_id, updated_at, rate_plan_id, parent_account_id, auto_recharge_enabled,
                               recharge_mode, threshold_micros, target_micros, amount_micros, payment_methods,
                               billing_emails, critical_billing_phone, direct_charge_plan_fee, service_address,
                               tax_exempt)
VALUES (:accountId, :updatedAt, :ratePlanId, :parentAccountId, :autoRechargeEnabled, :rechargeMode,
        :thresholdMicros, :targetMicros, :amountMicros, CAST(:paymentMethodsJson AS jsonb),
        CAST(:billingEmailsJson AS jsonb), :criticalBillingPhone, :directChargePlanFee,
        CAST(:serviceAddressJson AS jsonb), :taxExempt)
ON CONFLICT DO NOTHING
