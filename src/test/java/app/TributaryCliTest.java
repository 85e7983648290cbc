package app;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TributaryCliTest {

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int run(String... args) {
        return Tributary.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void validateExitsZeroOrTwoWithEveryError() throws Exception {
        Path dir = Files.createTempDirectory("cli");
        Path good = dir.resolve("good.yaml");
        Files.writeString(good, """
                pipeline: good
                source: {type: postgres, host: h, database: d, user: u, password: p}
                objects: [{table: public.t}]
                sink: {type: kafka, brokers: "k:9092"}
                """);
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "pipeline: bad\nsource: {type: postgres}\nobjects: [{table: t}]\nsink: {type: kafka, brokers: k}\n");
        assertEquals(0, run("validate", good.toString()));
        assertEquals(good + ": ok (pipeline good, 1 objects)", out.toString(StandardCharsets.UTF_8).trim());
        assertEquals(2, run("validate", good.toString(), bad.toString()));
        String errors = err.toString(StandardCharsets.UTF_8);
        assertTrue(errors.contains(bad + ": source.host: missing"), errors);
        assertTrue(errors.contains(bad + ": objects[0].table: unknown table pattern 't'"), errors);
        assertEquals(5, errors.lines().count(), errors);
    }

    @Test
    void badCommandLinesExitTwo() {
        assertEquals(2, run("frobnicate"));
        assertEquals(2, run("validate"));
        assertEquals(2, run("run", "--port"));
        assertEquals(2, run("--port", "eighty"));
        assertEquals(2, run("--colour", "red"));
        assertEquals(0, run("help"));
    }

    @Test
    void aBadPipelineDirectoryStopsTheStartWithItsErrors() throws Exception {
        Path dir = Files.createTempDirectory("cli-run");
        Files.writeString(dir.resolve("x.yaml"), "pipeline: x\n");
        assertEquals(2, run("run", "--pipelines", dir.toString(), "--port", "0"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("x.yaml: source: missing"));
    }
}
