package dev.meterflow.gatewaysim;

/**
 * How a test card declines: Stripe's error {@code code}, {@code decline_code}, message and the parameter
 * blamed (or {@code null}).
 */
record CardDecline(String code, String declineCode, String message, String param) {
}
