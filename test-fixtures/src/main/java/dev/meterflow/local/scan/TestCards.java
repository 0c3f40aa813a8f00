package dev.meterflow.local.scan;

/**
 * Card numbers for testing the secret scan, built when the tests run from the networks' published test numbers
 * without their check digit, so that no source file holds a card number: the project's own scans of its sources
 * stay clean, and a real number pasted into a test stands out.
 */
public final class TestCards {

    /** Stripe's test Visa, 16 digits. */
    public static final String VISA = complete("4242 4242 4242 424");
    /** Stripe's test Visa debit, 16 digits. */
    public static final String VISA_DEBIT = complete("4000 0566 5566 555");
    /** A 13-digit Visa. */
    public static final String VISA_13 = complete("4123 4567 8901");
    public static final String MASTERCARD = complete("5555 5555 5555 444");
    /** A Mastercard in the 2221-2720 range. */
    public static final String MASTERCARD_2_SERIES = complete("2223 0031 2200 322");
    public static final String AMEX = complete("3782 822463 1000");
    public static final String DISCOVER = complete("6011 1111 1111 111");

    private TestCards() {
    }

    /** {@code body} (spaces between groups are dropped) followed by its Luhn check digit. */
    public static String complete(String grouped) {
        String body = grouped.replace(" ", "");
        int sum = 0;
        boolean doubled = true; // the digit left of the check digit is doubled
        for (int i = body.length() - 1; i >= 0; i--) {
            int digit = body.charAt(i) - '0';
            if (doubled) {
                digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
            }
            sum += digit;
            doubled = !doubled;
        }
        return body + (10 - sum % 10) % 10;
    }

    /** The number in groups of these sizes, joined by {@code separator}: groups of 4, 4, 4, 4 and a space give the printed form. */
    public static String grouped(String number, String separator, int... sizes) {
        StringBuilder text = new StringBuilder();
        int at = 0;
        for (int size : sizes) {
            text.append(at == 0 ? "" : separator).append(number, at, at + size);
            at += size;
        }
        return text.toString();
    }
}
