package dev.meterflow.local.scan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What counts as a leaked secret in a piece of text (a log line, or a record's bytes read as ISO-8859-1),
 * as a pure function: no Kafka, no files.
 *
 * <ul>
 *   <li><b>Card number</b>: 13 to 19 digits, contiguous or in groups of four (4-6-5 for Amex) separated by one
 *       space or dash, not touching another digit on either side, whose prefix and length are those of a card
 *       network (see {@link #issuer}) and which pass the Luhn check. The issuer rule is what keeps Meterflow's
 *       own digits out: epoch milliseconds (13 digits starting {@code 17}), micros and nanos start with
 *       {@code 1}, which no network listed here issues; amounts and sequence numbers are shorter than 13.</li>
 *   <li><b>Card field</b>: a field named {@code cvv}, {@code cvv2}, {@code cvc}, {@code cvc2},
 *       {@code card_number}/{@code cardNumber}/{@code card-number} or {@code security_code}/{@code securityCode}
 *       (any case, not part of a longer name) followed by a value: {@code name: v}, {@code name=v},
 *       {@code "name":"v"}, or, in Avro binary (a map entry, in records only), the name followed by a string length
 *       byte and exactly that many printable characters; and an Avro schema declaring such a field ({@code "name":"cvv"}).</li>
 *   <li><b>API key</b>: {@code sk_live_}, {@code sk_test_}, {@code rk_live_} or {@code rk_test_} followed by at
 *       least 10 letters or digits.</li>
 *   <li><b>Literal secret</b>: any of the values given (the gateway API key, SCRAM passwords, ...), verbatim.</li>
 * </ul>
 *
 * Known blind spot: a card number that is the first thing in an Avro string of 24 to 28 characters follows a
 * length byte that reads as a digit ({@code 0}-{@code 8}), so it is "bounded by a digit" and not flagged.
 */
public final class SecretDetector {

    /** Literal secrets shorter than this would match all over the place; they are refused. */
    public static final int MIN_LITERAL_LENGTH = 6;

    private static final Pattern CARD_CANDIDATE = Pattern.compile(
            "(?<!\\d)(?:\\d{13,19}|\\d{4}(?:[ -]\\d{4}){2}[ -]\\d{1,7}|\\d{4}[ -]\\d{6}[ -]\\d{4,5})(?!\\d)");
    private static final String FIELD_NAMES =
            "cvv2?|cvc2?|card[_-]?number|security[_-]?code";
    private static final String FIELD = "(?i)(?<![A-Za-z0-9_])(?:" + FIELD_NAMES + ")(?![A-Za-z0-9_])";
    private static final Pattern CARD_FIELD_TEXT =
            Pattern.compile(FIELD + "[\"']?[ \\t]*[:=][ \\t]*[\"']?([^\\s\"',;}&]+)");
    /** An Avro map entry: the name, then the value's length (zig-zag, 1 to 19 characters) and the value. */
    private static final Pattern CARD_FIELD_AVRO = Pattern.compile(FIELD + "([\\x02-\\x26])");
    private static final Pattern CARD_FIELD_IN_SCHEMA = Pattern.compile(
            "(?i)\"name\"\\s*:\\s*\"(?:" + FIELD_NAMES + ")\"");
    private static final Pattern API_KEY = Pattern.compile("(?<![A-Za-z0-9])[sr]k_(?:live|test)_[A-Za-z0-9]{10,}");

    private final List<String> literals;

    /** @param literalSecrets values that must never appear; each at least {@value #MIN_LITERAL_LENGTH} characters */
    public SecretDetector(List<String> literalSecrets) {
        for (String secret : literalSecrets) {
            if (secret == null || secret.length() < MIN_LITERAL_LENGTH) {
                throw new IllegalArgumentException("a literal secret must be at least " + MIN_LITERAL_LENGTH
                        + " characters (a shorter one would match everywhere)");
            }
        }
        this.literals = List.copyOf(literalSecrets);
    }

    /** What a detection is. */
    public enum Kind {
        CARD_NUMBER("card number (issuer prefix + Luhn)"),
        CARD_FIELD("card field with a value"),
        API_KEY("API key pattern"),
        LITERAL_SECRET("configured secret value");

        private final String description;

        Kind(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    /**
     * One detection in a text: the whole match is {@code [start, end)}; the secret part, the one to mask, is
     * {@code [secretStart, end)} (the value of a card field, the whole match otherwise).
     */
    public record Detection(Kind kind, int start, int secretStart, int end) {
    }

    /**
     * Every detection in {@code text}, in order of position. {@code binary}: the text is a record's bytes read
     * as ISO-8859-1, so card fields are also looked for as Avro map entries (never in log lines, where prose
     * such as "cvv check" would match).
     */
    public List<Detection> detect(String text, boolean binary) {
        List<Detection> found = new ArrayList<>();
        Matcher card = CARD_CANDIDATE.matcher(text);
        while (card.find()) {
            if (isCardNumber(card.group().replaceAll("[ -]", ""))) {
                found.add(new Detection(Kind.CARD_NUMBER, card.start(), card.start(), card.end()));
            }
        }
        Matcher field = CARD_FIELD_TEXT.matcher(text);
        while (field.find()) {
            found.add(new Detection(Kind.CARD_FIELD, field.start(), field.start(1), field.end(1)));
        }
        if (binary) {
            Matcher avro = CARD_FIELD_AVRO.matcher(text);
            while (avro.find()) {
                int length = avro.group(1).charAt(0);
                int valueEnd = avro.end() + length / 2;
                if (length % 2 == 0 && valueEnd <= text.length() && printable(text, avro.end(), valueEnd)) {
                    found.add(new Detection(Kind.CARD_FIELD, avro.start(), avro.end(), valueEnd));
                }
            }
        }
        Matcher schema = CARD_FIELD_IN_SCHEMA.matcher(text);
        while (schema.find()) {
            // a schema is not a secret: nothing to mask
            found.add(new Detection(Kind.CARD_FIELD, schema.start(), schema.end(), schema.end()));
        }
        Matcher key = API_KEY.matcher(text);
        while (key.find()) {
            found.add(new Detection(Kind.API_KEY, key.start(), key.start(), key.end()));
        }
        for (String literal : literals) {
            for (int at = text.indexOf(literal); at >= 0; at = text.indexOf(literal, at + 1)) {
                found.add(new Detection(Kind.LITERAL_SECRET, at, at, at + literal.length()));
            }
        }
        found.sort(Comparator.comparingInt(Detection::start).thenComparing(Detection::kind));
        return found;
    }

    /**
     * {@code text} with every detection's secret part masked but its last four characters (all of it when it is
     * 8 characters or shorter, a CVV for one), and anything not printable shown as {@code .}: safe to print.
     */
    public static String redact(String text, List<Detection> detections) {
        char[] chars = text.toCharArray();
        for (Detection detection : detections) {
            // a short secret (a CVV) shown to its last four would be shown whole
            int shown = detection.end() - detection.secretStart() > 8 ? 4 : 0;
            int keep = detection.end() - shown;
            for (int i = detection.secretStart(); i < keep; i++) {
                boolean cardGroupSeparator = detection.kind() == Kind.CARD_NUMBER && (chars[i] == ' ' || chars[i] == '-');
                if (!cardGroupSeparator) {
                    chars[i] = '*';
                }
            }
        }
        for (int i = 0; i < chars.length; i++) {
            if (chars[i] < 0x20 || chars[i] > 0x7e) {
                chars[i] = '.';
            }
        }
        return new String(chars);
    }

    /** The part of the redacted text around one detection, at most {@code context} characters either side. */
    public static String excerpt(String redacted, Detection detection, int context) {
        int from = Math.max(0, detection.start() - context);
        int to = Math.min(redacted.length(), detection.end() + context);
        return (from > 0 ? "..." : "") + redacted.substring(from, to) + (to < redacted.length() ? "..." : "");
    }

    private static boolean printable(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            if (text.charAt(i) < 0x20 || text.charAt(i) > 0x7e) {
                return false;
            }
        }
        return true;
    }

    /** Issuer prefix and length of a card network, and the Luhn check. */
    public static boolean isCardNumber(String digits) {
        return issuer(digits) != null && luhnValid(digits);
    }

    /**
     * The card network whose prefix and length {@code digits} has, or {@code null}: Visa 4 (13, 16, 19),
     * Mastercard 51-55 and 2221-2720 (16), Amex 34, 37 (15), Discover 6011, 644-649, 65 (16-19), Diners Club
     * 300-305, 36, 38, 39 (14-19), JCB 3528-3589 (16-19), UnionPay 62 (16-19). Not Maestro (too broad a range
     * for too few cards) and not UATP (prefix 1, the prefix of every epoch timestamp of this century).
     */
    public static String issuer(String digits) {
        int length = digits.length();
        if (length < 13 || length > 19 || !digits.chars().allMatch(Character::isDigit)) {
            return null;
        }
        int two = Integer.parseInt(digits.substring(0, 2));
        int three = Integer.parseInt(digits.substring(0, 3));
        int four = Integer.parseInt(digits.substring(0, 4));
        if (digits.charAt(0) == '4' && (length == 13 || length == 16 || length == 19)) {
            return "visa";
        }
        if (length == 16 && ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720))) {
            return "mastercard";
        }
        if (length == 15 && (two == 34 || two == 37)) {
            return "amex";
        }
        if (length >= 16 && (four == 6011 || (three >= 644 && three <= 649) || two == 65)) {
            return "discover";
        }
        if (length >= 14 && ((three >= 300 && three <= 305) || two == 36 || two == 38 || two == 39)) {
            return "diners";
        }
        if (length >= 16 && four >= 3528 && four <= 3589) {
            return "jcb";
        }
        if (length >= 16 && two == 62) {
            return "unionpay";
        }
        return null;
    }

    /** The Luhn (mod 10) check of a string of digits. */
    public static boolean luhnValid(String digits) {
        int sum = 0;
        boolean doubled = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int digit = digits.charAt(i) - '0';
            if (digit < 0 || digit > 9) {
                return false;
            }
            if (doubled) {
                digit *= 2;
                if (digit > 9) {
                    digit -= 9;
                }
            }
            sum += digit;
            doubled = !doubled;
        }
        return !digits.isEmpty() && sum % 10 == 0;
    }
}
