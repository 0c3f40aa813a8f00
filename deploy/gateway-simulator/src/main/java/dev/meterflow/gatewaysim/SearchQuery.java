package dev.meterflow.gatewaysim;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The part of Stripe's search query language that PaymentIntent look-ups need: exact-match clauses
 * {@code field:'value'} on {@code amount}, {@code currency}, {@code customer}, {@code status} and
 * {@code metadata['key']}, each optionally negated with {@code -}, joined by {@code AND} or by {@code OR}
 * (Stripe does not allow both in one query). For example {@code metadata['requestId']:'rr-1' AND status:'succeeded'}.
 */
final class SearchQuery {

    private static final Set<String> FIELDS = Set.of("amount", "currency", "customer", "metadata", "status");

    private final List<Clause> clauses;
    private final boolean anyClause;

    private SearchQuery(List<Clause> clauses, boolean anyClause) {
        this.clauses = List.copyOf(clauses);
        this.anyClause = anyClause;
    }

    /** @throws InvalidRequestException naming the {@code query} parameter if the query cannot be used */
    static SearchQuery parse(String query) {
        if (query == null || query.isBlank()) {
            throw new InvalidRequestException("parameter_missing", "query", "Missing required param: query.");
        }
        return new Parser(query).parse();
    }

    boolean matches(StoredPaymentIntent intent) {
        return anyClause
                ? clauses.stream().anyMatch(clause -> clause.matches(intent))
                : clauses.stream().allMatch(clause -> clause.matches(intent));
    }

    /** One {@code [-]field:'value'} term; {@code metadataKey} is set for {@code metadata['key']} only. */
    record Clause(String field, String metadataKey, String value, boolean negated) {

        boolean matches(StoredPaymentIntent intent) {
            return negated != matchesPositively(intent);
        }

        private boolean matchesPositively(StoredPaymentIntent intent) {
            return switch (field) {
                case "amount" -> Long.parseLong(value) == intent.amount();
                case "currency" -> value.equals(intent.currency());
                case "customer" -> value.equals(intent.customer());
                case "status" -> value.equals(intent.status());
                case "metadata" -> value.equals(intent.metadata().get(metadataKey));
                default -> throw new IllegalStateException("unchecked field " + field);
            };
        }
    }

    private static final class Parser {
        private final String text;
        private int pos;

        Parser(String text) {
            this.text = text;
        }

        SearchQuery parse() {
            List<Clause> clauses = new ArrayList<>();
            String joiner = null;
            skipSpaces();
            clauses.add(clause());
            while (skipSpaces() && !atEnd()) {
                String keyword = word();
                if (!keyword.equals("AND") && !keyword.equals("OR")) {
                    throw invalid("expected AND or OR at position " + pos + ", found '" + keyword + "'");
                }
                if (joiner != null && !joiner.equals(keyword)) {
                    throw invalid("a query cannot combine AND and OR");
                }
                joiner = keyword;
                if (!skipSpaces()) {
                    throw invalid("expected a space after " + keyword);
                }
                clauses.add(clause());
            }
            if (!atEnd()) {
                throw invalid("unexpected '" + text.substring(pos) + "'");
            }
            return new SearchQuery(clauses, "OR".equals(joiner));
        }

        private Clause clause() {
            boolean negated = accept('-');
            String field = word();
            if (!FIELDS.contains(field)) {
                throw invalid("field '" + field + "' is not searchable in the gateway simulator; use one of "
                        + "amount, currency, customer, metadata['key'], status");
            }
            String metadataKey = null;
            if (field.equals("metadata")) {
                expect('[');
                metadataKey = quoted();
                expect(']');
            }
            if (atEnd() || text.charAt(pos) != ':') {
                throw invalid("only exact-match clauses (field:'value') are supported, at position " + pos);
            }
            pos++;
            String value = !atEnd() && isQuote(text.charAt(pos)) ? quoted() : bare();
            if (field.equals("amount") && !value.matches("-?\\d+")) {
                throw invalid("amount must be an integer, was '" + value + "'");
            }
            return new Clause(field, metadataKey, value, negated);
        }

        private String word() {
            int start = pos;
            while (!atEnd() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
                pos++;
            }
            if (start == pos) {
                throw invalid("expected a field or keyword at position " + pos);
            }
            return text.substring(start, pos);
        }

        private String bare() {
            int start = pos;
            while (!atEnd() && !Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
            if (start == pos) {
                throw invalid("expected a value at position " + pos);
            }
            return text.substring(start, pos);
        }

        private String quoted() {
            if (atEnd() || !isQuote(text.charAt(pos))) {
                throw invalid("expected a quoted value at position " + pos);
            }
            char quote = text.charAt(pos++);
            StringBuilder value = new StringBuilder();
            while (!atEnd() && text.charAt(pos) != quote) {
                char c = text.charAt(pos++);
                if (c == '\\' && !atEnd()) {
                    c = text.charAt(pos++);
                }
                value.append(c);
            }
            expect(quote);
            return value.toString();
        }

        private boolean skipSpaces() {
            int start = pos;
            while (!atEnd() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
            return pos > start;
        }

        private boolean accept(char c) {
            if (!atEnd() && text.charAt(pos) == c) {
                pos++;
                return true;
            }
            return false;
        }

        private void expect(char c) {
            if (!accept(c)) {
                throw invalid("expected '" + c + "' at position " + pos);
            }
        }

        private boolean atEnd() {
            return pos >= text.length();
        }

        private static boolean isQuote(char c) {
            return c == '\'' || c == '"';
        }

        private InvalidRequestException invalid(String reason) {
            return new InvalidRequestException(null, "query", "Invalid search query '" + text + "': " + reason + ".");
        }
    }
}
