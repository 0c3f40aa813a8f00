SELECT account_id, rate_plan_id, parent_account_id, auto_recharge_enabled, recharge_mode, threshold_micros,
       target_micros, amount_micros, payment_methods::text AS payment_methods, billing_emails::text AS billing_emails,
       critical_billing_phone, direct_charge_plan_fee, service_address::text AS service_address, tax_exempt,
       settings_updated_at, balance_micros, status, pending_recharge_id, balance_updated_at, status_reason,
       status_changed_at
FROM accounts WHERE parent_account_id = :accountId
ORDER BY account_id
