package dev.meterflow.local.scan;

/**
 * One leaked secret, safe to print: {@code excerpt} shows the secret masked but its last four characters.
 *
 * @param kind     what was found
 * @param location where: {@code topic-partition@offset key}, {@code ... value}, {@code ... header 'name'}, or
 *                 {@code file:line}
 * @param excerpt  the redacted text around it, non-printable bytes shown as {@code .}
 */
public record Finding(SecretDetector.Kind kind, String location, String excerpt) {

    @Override
    public String toString() {
        return kind + " " + location + ": " + kind.description() + ": " + excerpt;
    }
}
