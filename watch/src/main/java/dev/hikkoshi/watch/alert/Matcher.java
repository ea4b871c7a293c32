package dev.hikkoshi.watch.alert;

import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One label condition, written {@code name=value}, {@code name!=value} or {@code name=~regex} (the regex must
 * match the whole value). A label the alert lacks has the value "" (as in Alertmanager), so
 * {@code tenant!=acme} matches an alert without a tenant. Used by routes, inhibition rules and silences.
 */
public record Matcher(String name, Op op, String value, Pattern regex) {
    /** How the value is compared. */
    public enum Op {
        EQUALS("="),
        NOT_EQUALS("!="),
        REGEX("=~");

        private final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }
    }

    public static final String SYNTAX = "a label condition such as check=http-5xx, env!=staging or tenant=~acme|globex";

    public boolean matches(Labels labels) {
        String actual = labels.get(name).orElse("");
        return switch (op) {
            case EQUALS -> actual.equals(value);
            case NOT_EQUALS -> !actual.equals(value);
            case REGEX -> regex.matcher(actual).matches();
        };
    }

    /** Parses the written form; empty when it is not one (the caller reports the problem with its path). */
    public static Optional<Matcher> parse(String text) {
        String t = text.trim();
        int i = t.indexOf('=');
        if (i <= 0) {
            return Optional.empty();
        }
        Op op;
        String name;
        String value;
        if (t.charAt(i - 1) == '!') {
            op = Op.NOT_EQUALS;
            name = t.substring(0, i - 1);
            value = t.substring(i + 1);
        } else if (i + 1 < t.length() && t.charAt(i + 1) == '~') {
            op = Op.REGEX;
            name = t.substring(0, i);
            value = t.substring(i + 2);
        } else {
            op = Op.EQUALS;
            name = t.substring(0, i);
            value = t.substring(i + 1);
        }
        name = name.trim();
        value = value.trim();
        if (!Labels.NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        try {
            Pattern regex = op == Op.REGEX ? Pattern.compile(value) : null;
            return Optional.of(new Matcher(name, op, value, regex));
        } catch (PatternSyntaxException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return name + op.symbol + value;
    }
}
