UPDATE accounts a SET
    rate_plan_id = v.rate_plan_id, parent_account_id = v.parent_account_id,
    auto_recharge_enabled = v.auto_recharge_enabled, recharge_mode = v.recharge_mode,
    threshold_micros = v.threshold_micros, target_micros = v.target_micros, amount_micros = v.amount_micros,
    payment_methods = v.payment_methods, billing_emails = v.billing_emails,
    critical_billing_phone = v.critical_billing_phone, direct_charge_plan_fee = v.direct_charge_plan_fee,
    service_address = v.service_address, tax_exempt = v.tax_exempt, settings_updated_at = v.updated_at
FROM (SELECT * FROM settings_versions s
      WHERE s.account_id = :accountId
        AND NOT EXISTS (SELECT 1 FROM refusals r
                        WHERE r.kind = 'SETTINGS' AND r.subject_id = s.account_id AND r.subject_at = s.updated_at)
      ORDER BY s.updated_at DESC
      LIMIT 1) v
WHERE a.account_id = v.account_id
