package conditions;

import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.operators.arithmetic.Addition;
import net.sf.jsqlparser.expression.operators.arithmetic.Division;
import net.sf.jsqlparser.expression.operators.arithmetic.Multiplication;
import net.sf.jsqlparser.expression.operators.arithmetic.Subtraction;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * SQL's value semantics for {@link RowCondition}: three-valued logic (null = NULL / UNKNOWN), comparisons across the
 * Java types a change carries and the literals a condition writes (numbers, text, dates and times), arithmetic and
 * LIKE patterns.
 */
final class SqlValues {

    private SqlValues() {
    }

    static Object map(Object v, java.util.function.Function<Object, Object> f) {
        return v == null ? null : f.apply(v);
    }

    static Boolean truth(Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Number n) { // MySQL's BOOLEAN is TINYINT(1)
            return number(n).signum() != 0;
        }
        throw new IllegalArgumentException("'" + v + "' is not a condition (true or false)");
    }

    static Object not(Object v) {
        return v == null ? null : !truth(v);
    }

    static Object and(Object a, Object b) {
        if (Boolean.FALSE.equals(a == null ? null : truth(a)) || Boolean.FALSE.equals(b == null ? null : truth(b))) {
            return false;
        }
        return a == null || b == null ? null : Boolean.TRUE;
    }

    static Object or(Object a, Object b) {
        if (Boolean.TRUE.equals(a == null ? null : truth(a)) || Boolean.TRUE.equals(b == null ? null : truth(b))) {
            return true;
        }
        return a == null || b == null ? null : Boolean.FALSE;
    }

    static Object compare(Object a, Object b, java.util.function.IntPredicate holds) {
        if (a == null || b == null) {
            return null;
        }
        return holds.test(order(a, b));
    }

    /** Orders two non-null values of (possibly) different Java types the way SQL compares a column with a literal. */
    static int order(Object a, Object b) {
        if (a instanceof Boolean || b instanceof Boolean) {
            return Boolean.compare(truth(a), truth(b));
        }
        if (a instanceof Number && b instanceof Number) {
            return number(a).compareTo(number(b));
        }
        if (a instanceof Number && b instanceof String s) {
            return number(a).compareTo(numberLiteral(s));
        }
        if (a instanceof String s && b instanceof Number) {
            return numberLiteral(s).compareTo(number(b));
        }
        if (isTemporal(a) || isTemporal(b)) {
            return temporal(a, b).compareTo(temporal(b, a));
        }
        return text(a).compareTo(text(b));
    }

    static boolean isTemporal(Object v) {
        return v instanceof LocalDate || v instanceof LocalDateTime || v instanceof Instant || v instanceof LocalTime || v instanceof OffsetDateTime;
    }

    /** A date/time (or date/time text) as a comparable instant-like value, in the type of the other side. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static Comparable temporal(Object v, Object other) {
        if (v instanceof String s) {
            return (Comparable) literal(other instanceof LocalDate ? "DATE" : other instanceof LocalTime ? "TIME"
                    : other instanceof Instant || other instanceof OffsetDateTime ? "TIMESTAMPTZ" : "TIMESTAMP", s);
        }
        if (v instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (v instanceof LocalDate d && (other instanceof LocalDateTime || other instanceof String && ((String) other).length() > 10)) {
            return d.atStartOfDay();
        }
        if (v instanceof LocalDate d && (other instanceof Instant || other instanceof OffsetDateTime)) {
            return d.atStartOfDay().toInstant(ZoneOffset.UTC);
        }
        if (v instanceof LocalDateTime t && (other instanceof Instant || other instanceof OffsetDateTime)) {
            return t.toInstant(ZoneOffset.UTC); // timestamptz values are UTC instants; a literal without zone is read as UTC
        }
        return (Comparable) v;
    }

    /** DATE '2026-11-21', TIMESTAMP '2026-11-21 10:15:30', TIME '10:15' — and the same texts compared with such columns. */
    static Object literal(String type, String text) {
        String t = text.trim();
        try {
            return switch (type) {
                case "DATE" -> LocalDate.parse(t);
                case "TIME" -> LocalTime.parse(t);
                case "TIMESTAMPTZ" -> t.length() == 10 ? LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC)
                        : t.endsWith("Z") || t.matches(".*[+-]\\d\\d:?\\d\\d$") ? OffsetDateTime.parse(t.replace(' ', 'T')).toInstant()
                        : LocalDateTime.parse(t.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
                default -> t.length() == 10 ? LocalDate.parse(t).atStartOfDay() : LocalDateTime.parse(t.replace(' ', 'T'));
            };
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a " + type.toLowerCase(Locale.ROOT) + " (expected e.g. 2026-11-21 10:15:30)");
        }
    }

    static BigDecimal number(Object v) {
        if (v instanceof BigDecimal d) {
            return d;
        }
        if (v instanceof Double || v instanceof Float) {
            return new BigDecimal(v.toString());
        }
        if (v instanceof Number n) {
            return BigDecimal.valueOf(n.longValue());
        }
        if (v instanceof Boolean b) {
            return b ? BigDecimal.ONE : BigDecimal.ZERO;
        }
        return numberLiteral(text(v));
    }

    static BigDecimal numberLiteral(String s) {
        try {
            return new BigDecimal(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "' is not a number");
        }
    }

    static Object arithmetic(Expression op, Object a, Object b) {
        if (a == null || b == null) {
            return null;
        }
        BigDecimal x = number(a);
        BigDecimal y = number(b);
        if (op instanceof Addition) {
            return x.add(y);
        }
        if (op instanceof Subtraction) {
            return x.subtract(y);
        }
        if (op instanceof Multiplication) {
            return x.multiply(y);
        }
        if (y.signum() == 0) {
            return null; // division by zero: NULL (MySQL's behaviour) rather than a failed pipeline
        }
        return op instanceof Division ? x.divide(y, MathContext.DECIMAL128) : x.remainder(y);
    }

    static String text(Object v) {
        return v instanceof String s ? s : Objects.toString(formats.JsonValues.text(v));
    }

    static Pattern likePattern(String like, char escape, boolean ignoreCase) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < like.length(); i++) {
            char c = like.charAt(i);
            if (escape != 0 && c == escape && i + 1 < like.length()) {
                regex.append(Pattern.quote(String.valueOf(like.charAt(++i))));
            } else if (c == '%') {
                regex.append(".*");
            } else if (c == '_') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL | (ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0));
    }
}
