package conditions;

import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.expression.BinaryExpression;
import net.sf.jsqlparser.expression.BooleanValue;
import net.sf.jsqlparser.expression.DateTimeLiteralExpression;
import net.sf.jsqlparser.expression.DateValue;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.Parenthesis;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.TimestampValue;
import net.sf.jsqlparser.expression.operators.arithmetic.Addition;
import net.sf.jsqlparser.expression.operators.arithmetic.Concat;
import net.sf.jsqlparser.expression.operators.arithmetic.Division;
import net.sf.jsqlparser.expression.operators.arithmetic.Modulo;
import net.sf.jsqlparser.expression.operators.arithmetic.Multiplication;
import net.sf.jsqlparser.expression.operators.arithmetic.Subtraction;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.conditional.OrExpression;
import net.sf.jsqlparser.expression.operators.relational.Between;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.GreaterThan;
import net.sf.jsqlparser.expression.operators.relational.GreaterThanEquals;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;
import net.sf.jsqlparser.expression.operators.relational.LikeExpression;
import net.sf.jsqlparser.expression.operators.relational.MinorThan;
import net.sf.jsqlparser.expression.operators.relational.MinorThanEquals;
import net.sf.jsqlparser.expression.operators.relational.NotEqualsTo;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.schema.Column;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A row filter ({@code objects[].where}): a SQL boolean condition parsed once by JSqlParser and compiled into a tree of
 * small evaluators over a row ({@code column → value}) — never turned back into SQL. SQL's three-valued logic: a
 * comparison with NULL is UNKNOWN (Java {@code null}), {@code NOT UNKNOWN} is UNKNOWN, and a row passes only when the
 * condition is TRUE. JSqlParser parses; evaluating is ours, since no library evaluates SQL over a Java map
 * (docs/processing.md lists what is supported).
 */
public final class RowCondition {

    /** One compiled node: the row → a value (Boolean for conditions; null = NULL / UNKNOWN). */
    private interface Node {
        Object eval(Map<String, Object> row);
    }

    private final String text;
    private final Node root;
    private final Set<String> columns = new LinkedHashSet<>();

    private RowCondition(String text) {
        this.text = text;
        Expression e;
        try {
            e = CCJSqlParserUtil.parseCondExpression(text, false);
        } catch (JSQLParserException ex) {
            String why = ex.getCause() != null && ex.getCause().getMessage() != null ? ex.getCause().getMessage() : String.valueOf(ex.getMessage());
            throw new IllegalArgumentException("not a SQL condition: " + why.lines().findFirst().orElse(why).trim());
        }
        requireTruthValue(e);
        this.root = compile(e);
    }

    /**
     * The condition must be true or false (or a boolean column), not a value: {@code where: -7} or {@code amount + 1}
     * parse as expressions, and a number's "truth" would silently pass or drop every row.
     */
    private static void requireTruthValue(Expression e) {
        while (e instanceof Parenthesis || e instanceof ExpressionList<?> l && l.size() == 1) {
            e = e instanceof Parenthesis p ? p.getExpression() : ((ExpressionList<?>) e).get(0);
        }
        if (e instanceof LongValue || e instanceof DoubleValue || e instanceof StringValue || e instanceof SignedExpression
                || e instanceof NullValue || e instanceof DateValue || e instanceof TimestampValue || e instanceof DateTimeLiteralExpression
                || e instanceof Addition || e instanceof Subtraction || e instanceof Multiplication || e instanceof Division
                || e instanceof Modulo || e instanceof Concat) {
            throw new IllegalArgumentException("not a SQL condition: '" + e + "' is a value, not true or false");
        }
    }

    /** Parses and compiles; {@link IllegalArgumentException} says what is wrong with the condition. */
    public static RowCondition parse(String condition) {
        return new RowCondition(condition);
    }

    /** The columns the condition reads (names as written, unquoted). */
    public Set<String> columns() {
        return columns;
    }

    /** TRUE, FALSE or null (UNKNOWN: some operand was NULL). */
    public Boolean evaluate(Map<String, Object> row) {
        Object v = root.eval(row);
        return v == null ? null : SqlValues.truth(v);
    }

    /** Whether the row passes: the condition is TRUE. */
    public boolean test(Map<String, Object> row) {
        return Boolean.TRUE.equals(evaluate(row));
    }

    @Override
    public String toString() {
        return text;
    }

    // ---- compiling ----

    private Node compile(Expression e) {
        if (e instanceof Parenthesis p) {
            return compile(p.getExpression());
        }
        if (e instanceof ExpressionList<?> list && list.size() == 1) { // (a) parsed as a one-element list
            return compile(list.get(0));
        }
        if (e instanceof Column c) {
            String name = unquote(c.getColumnName());
            if (c.getTable() != null && c.getTable().getName() != null) {
                throw new IllegalArgumentException("column " + c + ": name columns without a table (the row is the table's)");
            }
            if (name.equalsIgnoreCase("true") || name.equalsIgnoreCase("false")) {
                Boolean b = Boolean.valueOf(name.toLowerCase(Locale.ROOT));
                return row -> b;
            }
            columns.add(name);
            return row -> row.containsKey(name) ? row.get(name) : ignoringCase(row, name); // MySQL names ignore case
        }
        if (e instanceof net.sf.jsqlparser.expression.DateUnitExpression unit) {
            // a column named like a date unit (day, month, year…): the parser upper-cases it, so match it ignoring case
            String name = unit.toString();
            columns.add(name.toLowerCase(Locale.ROOT));
            return row -> ignoringCase(row, name);
        }
        if (e instanceof LongValue v) {
            BigDecimal n = new BigDecimal(v.getStringValue());
            return row -> n;
        }
        if (e instanceof DoubleValue v) {
            BigDecimal n = new BigDecimal(e.toString());
            return row -> n;
        }
        if (e instanceof StringValue v) {
            String s = v.getValue().replace("''", "'");
            return row -> s;
        }
        if (e instanceof NullValue) {
            return row -> null;
        }
        if (e instanceof BooleanValue b) {
            Boolean value = b.getValue();
            return row -> value;
        }
        if (e instanceof DateTimeLiteralExpression d) {
            Object value = SqlValues.literal(d.getType().name(), unquote(d.getValue()));
            return row -> value;
        }
        if (e instanceof DateValue d) {
            LocalDate value = d.getValue().toLocalDate();
            return row -> value;
        }
        if (e instanceof TimestampValue t) {
            LocalDateTime value = t.getValue().toLocalDateTime();
            return row -> value;
        }
        if (e instanceof SignedExpression s) {
            Node inner = compile(s.getExpression());
            return s.getSign() == '-' ? row -> {
                Object v = inner.eval(row);
                return v == null ? null : SqlValues.number(v).negate();
            } : inner;
        }
        if (e instanceof NotExpression n) {
            Node inner = compile(n.getExpression());
            return row -> SqlValues.not(inner.eval(row));
        }
        if (e instanceof AndExpression a) {
            Node l = compile(a.getLeftExpression());
            Node r = compile(a.getRightExpression());
            return row -> SqlValues.and(l.eval(row), r.eval(row));
        }
        if (e instanceof OrExpression o) {
            Node l = compile(o.getLeftExpression());
            Node r = compile(o.getRightExpression());
            return row -> SqlValues.or(l.eval(row), r.eval(row));
        }
        if (e instanceof IsNullExpression n) {
            Node inner = compile(n.getLeftExpression());
            boolean not = n.isNot();
            return row -> (inner.eval(row) == null) != not;
        }
        if (e instanceof Between b) {
            Node v = compile(b.getLeftExpression());
            Node lo = compile(b.getBetweenExpressionStart());
            Node hi = compile(b.getBetweenExpressionEnd());
            boolean not = b.isNot();
            return row -> {
                Object x = v.eval(row);
                Object in = SqlValues.and(SqlValues.compare(x, lo.eval(row), c -> c >= 0), SqlValues.compare(x, hi.eval(row), c -> c <= 0));
                return not ? SqlValues.not(in) : in;
            };
        }
        if (e instanceof InExpression in) {
            Node v = compile(in.getLeftExpression());
            if (!(in.getRightExpression() instanceof ExpressionList<?> list)) {
                throw new IllegalArgumentException("IN takes a list of values; " + in.getRightExpression() + " is not supported");
            }
            List<Node> items = new ArrayList<>();
            for (Expression item : list) {
                items.add(compile(item));
            }
            boolean not = in.isNot();
            return row -> {
                Object x = v.eval(row);
                Object found = Boolean.FALSE; // x = i1 OR x = i2 OR …
                for (Node item : items) {
                    found = SqlValues.or(found, SqlValues.compare(x, item.eval(row), c -> c == 0));
                }
                return not ? SqlValues.not(found) : found;
            };
        }
        if (e instanceof LikeExpression like) {
            Node v = compile(like.getLeftExpression());
            Node pattern = compile(like.getRightExpression());
            char escape = like.getEscape() == null ? 0 : String.valueOf(compile(like.getEscape()).eval(Map.of())).charAt(0);
            boolean ignoreCase = like.getLikeKeyWord() == LikeExpression.KeyWord.ILIKE;
            boolean not = like.isNot();
            return row -> {
                Object x = v.eval(row);
                Object p = pattern.eval(row);
                if (x == null || p == null) {
                    return null;
                }
                boolean matches = SqlValues.likePattern(String.valueOf(p), escape, ignoreCase).matcher(SqlValues.text(x)).matches();
                return matches != not;
            };
        }
        if (e instanceof EqualsTo b) {
            return comparison(b, c -> c == 0);
        }
        if (e instanceof NotEqualsTo b) {
            return comparison(b, c -> c != 0);
        }
        if (e instanceof GreaterThan b) {
            return comparison(b, c -> c > 0);
        }
        if (e instanceof GreaterThanEquals b) {
            return comparison(b, c -> c >= 0);
        }
        if (e instanceof MinorThan b) {
            return comparison(b, c -> c < 0);
        }
        if (e instanceof MinorThanEquals b) {
            return comparison(b, c -> c <= 0);
        }
        if (e instanceof Addition || e instanceof Subtraction || e instanceof Multiplication || e instanceof Division || e instanceof Modulo) {
            BinaryExpression b = (BinaryExpression) e;
            Node l = compile(b.getLeftExpression());
            Node r = compile(b.getRightExpression());
            return row -> SqlValues.arithmetic(e, l.eval(row), r.eval(row));
        }
        if (e instanceof Concat c) {
            Node l = compile(c.getLeftExpression());
            Node r = compile(c.getRightExpression());
            return row -> {
                Object a = l.eval(row);
                Object b = r.eval(row);
                return a == null || b == null ? null : SqlValues.text(a) + SqlValues.text(b);
            };
        }
        if (e instanceof Function f) {
            return function(f);
        }
        throw new IllegalArgumentException("'" + e + "' is not supported in a row filter (supported: comparisons, AND/OR/NOT, IN, "
                + "BETWEEN, LIKE, IS [NOT] NULL, + - * / %, ||, LOWER, UPPER, LENGTH, TRIM, ABS, COALESCE; literals: numbers, "
                + "'text', DATE '…', TIMESTAMP '…', TIME '…', TRUE, FALSE, NULL)");
    }

    private Node function(Function f) {
        String name = f.getName().toUpperCase(Locale.ROOT);
        List<Node> args = new ArrayList<>();
        if (f.getParameters() != null) {
            for (Expression p : f.getParameters()) {
                args.add(compile(p));
            }
        }
        int arity = switch (name) {
            case "LOWER", "UPPER", "LENGTH", "CHAR_LENGTH", "TRIM", "ABS" -> 1;
            case "COALESCE" -> -1;
            default -> throw new IllegalArgumentException("function " + f.getName() + " is not supported in a row filter "
                    + "(supported: LOWER, UPPER, LENGTH, CHAR_LENGTH, TRIM, ABS, COALESCE)");
        };
        if (arity > 0 && args.size() != arity || args.isEmpty()) {
            throw new IllegalArgumentException(f.getName() + " takes " + (arity > 0 ? arity + " argument" : "at least one argument") + ", got " + args.size());
        }
        Node first = args.get(0);
        return switch (name) {
            case "LOWER" -> row -> SqlValues.map(first.eval(row), v -> SqlValues.text(v).toLowerCase(Locale.ROOT));
            case "UPPER" -> row -> SqlValues.map(first.eval(row), v -> SqlValues.text(v).toUpperCase(Locale.ROOT));
            case "LENGTH", "CHAR_LENGTH" -> row -> SqlValues.map(first.eval(row), v -> BigDecimal.valueOf(SqlValues.text(v).codePointCount(0, SqlValues.text(v).length())));
            case "TRIM" -> row -> SqlValues.map(first.eval(row), v -> SqlValues.text(v).strip());
            case "ABS" -> row -> SqlValues.map(first.eval(row), v -> SqlValues.number(v).abs());
            default -> row -> { // COALESCE
                for (Node a : args) {
                    Object v = a.eval(row);
                    if (v != null) {
                        return v;
                    }
                }
                return null;
            };
        };
    }

    private Node comparison(BinaryExpression b, java.util.function.IntPredicate holds) {
        Node l = compile(b.getLeftExpression());
        Node r = compile(b.getRightExpression());
        return row -> SqlValues.compare(l.eval(row), r.eval(row), holds);
    }

    // ---- evaluating ----

    private static Object ignoringCase(Map<String, Object> row, String name) {
        for (Map.Entry<String, Object> c : row.entrySet()) {
            if (c.getKey().equalsIgnoreCase(name)) {
                return c.getValue();
            }
        }
        return null;
    }

    private static String unquote(String name) {
        if (name.length() >= 2 && (name.startsWith("\"") && name.endsWith("\"") || name.startsWith("`") && name.endsWith("`")
                || name.startsWith("[") && name.endsWith("]") || name.startsWith("'") && name.endsWith("'"))) {
            return name.substring(1, name.length() - 1);
        }
        return name;
    }
}
