package architecture;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The top-level packages depend on each other in one direction only (model and the leaf packages at the bottom, app at
 * the top): a cycle would make a package impossible to understand, test or replace on its own.
 */
class PackageCyclesTest {

    static final Path MAIN = Path.of("src/main/java");

    /** Top-level package → the project's top-level packages its code names (imports and qualified names, not comments). */
    static Map<String, Set<String>> dependencies() throws Exception {
        Set<String> packages = new TreeSet<>();
        try (Stream<Path> dirs = Files.list(MAIN)) {
            dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).filter(n -> !n.equals("io")).forEach(packages::add);
        }
        Pattern reference = Pattern.compile("\\b(" + String.join("|", packages) + ")\\.[A-Za-z]+\\.?[A-Z]?");
        Map<String, Set<String>> deps = new TreeMap<>();
        for (String p : packages) {
            Set<String> uses = new TreeSet<>();
            List<Path> files;
            try (Stream<Path> all = Files.walk(MAIN.resolve(p))) {
                files = all.filter(f -> f.toString().endsWith(".java")).toList();
            }
            for (Path f : files) {
                for (String line : Files.readAllLines(f)) {
                    String code = line.trim();
                    if (code.startsWith("*") || code.startsWith("/*") || code.startsWith("//")) {
                        continue;
                    }
                    code = code.replaceAll("\"([^\"\\\\]|\\\\.)*\"", "\"\""); // text in strings names nothing
                    Matcher m = reference.matcher(code);
                    while (m.find()) {
                        String target = m.group(1);
                        boolean qualifiedType = m.group().matches("[a-z]+\\.([a-z]+\\.)*[A-Z].*") || code.startsWith("import ");
                        if (!target.equals(p) && qualifiedType && !isLocalName(code, m.start())) {
                            uses.add(target);
                        }
                    }
                }
            }
            deps.put(p, uses);
        }
        return deps;
    }

    /** A match right after a '.' is a member access on something else (e.g. kafka.connect.runtime.X), not our package. */
    static boolean isLocalName(String code, int at) {
        return at > 0 && code.charAt(at - 1) == '.';
    }

    @Test
    void noCycleBetweenTopLevelPackages() throws Exception {
        Map<String, Set<String>> deps = dependencies();
        List<String> cycles = new ArrayList<>();
        for (String a : deps.keySet()) {
            for (String b : deps.get(a)) {
                if (a.compareTo(b) < 0 && reaches(deps, b, a, new TreeSet<>())) {
                    cycles.add(a + " <-> " + b);
                }
            }
        }
        assertEquals(List.of(), cycles, "package cycles; dependencies: " + deps);
    }

    static boolean reaches(Map<String, Set<String>> deps, String from, String to, Set<String> seen) {
        if (from.equals(to)) {
            return true;
        }
        if (!seen.add(from)) {
            return false;
        }
        for (String next : deps.getOrDefault(from, Set.of())) {
            if (reaches(deps, next, to, seen)) {
                return true;
            }
        }
        return false;
    }
}
