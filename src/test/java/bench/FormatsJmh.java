package bench;

import formats.ChangeEventFormat;
import formats.FormatSpec;
import formats.Formats;
import model.ChangeEvent;
import model.Op;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Each message format's encoder on one core: events/s and bytes allocated per event (JMH with its GC profiler; run by
 * the bench suite, {@code -Dbench.only=formats}). The events: the suite's ten columns, 60% inserts, 30% updates with
 * the old row, 10% deletes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class FormatsJmh {

    @Param({"debezium", "canal", "maxwell", "oms-default", "oms-extend", "json-row"})
    public String format;

    private ChangeEventFormat encoder;
    private ChangeEvent[] events;
    private int next;

    @Setup
    public void setup() {
        encoder = Formats.create(FormatSpec.of(format));
        List<ChangeEvent> inserts = new ArrayList<>();
        JdbcSinkBench.events(1024).forEach(inserts::addAll);
        events = new ChangeEvent[inserts.size()];
        for (int i = 0; i < events.length; i++) {
            ChangeEvent e = inserts.get(i);
            events[i] = switch (i % 10) {
                case 6, 7, 8 -> {
                    Map<String, Object> after = new LinkedHashMap<>(e.after());
                    after.put("qty", (Integer) after.get("qty") + 1);
                    yield ChangeEvent.row(e.pipeline(), Op.UPDATE, e.table(), e.after(), after, e.primaryKey(), e.columns(), e.position());
                }
                case 9 -> ChangeEvent.row(e.pipeline(), Op.DELETE, e.table(), e.after(), null, e.primaryKey(), e.columns(), e.position());
                default -> e;
            };
        }
    }

    @Benchmark
    public byte[] encode() {
        ChangeEvent e = events[next];
        next = next + 1 == events.length ? 0 : next + 1;
        return encoder.encode(e);
    }
}
